"""Reads of staff accounts, for administrators."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.programs.models import Membership


def program_users(actor: Actor) -> list:
    """Every account with a role in the actor's program, with those roles."""
    actor.require(Category.USERS, Scope.PROGRAM)
    roles_here = Membership.objects.filter(program_id=actor.program_id).select_related("agency")
    users = list(
        get_user_model()
        .objects.filter(memberships__program_id=actor.program_id)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=roles_here, to_attr="roles_here"))
        .order_by("last_name", "first_name", "username")
    )
    audit_record(
        actor=actor, action=Action.LIST, object_type="User", detail={"view": "user_list", "count": len(users)}
    )
    return users
