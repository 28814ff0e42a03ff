"""Who manages legal holds: a project manager, who configures the program and reads its case records
(both at program scope; a system administrator configures but reads no case)."""

from django.http import Http404

from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor


def may_manage_holds(actor: Actor) -> bool:
    return actor.has(Category.PROGRAM_CONFIG, Scope.PROGRAM) and actor.has(
        Category.CASE_RECORD, Scope.PROGRAM
    )


def require_hold_manager(actor: Actor) -> None:
    if not may_manage_holds(actor):
        raise Http404("Not found")
