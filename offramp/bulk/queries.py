from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor


def may_import(actor: Actor) -> None:
    """Bringing in a caseload writes identities and case records across the program: 404 otherwise."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    actor.require(Category.IDENTITY, Scope.PROGRAM)
