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


def staff_member(actor: Actor, user_id: int):
    """One account with a role in the actor's program, with those roles; 404 otherwise. Audited."""
    from django.http import Http404

    actor.require(Category.USERS, Scope.PROGRAM)
    roles_here = Membership.objects.filter(program_id=actor.program_id).select_related("agency")
    user = (
        get_user_model()
        .objects.filter(pk=user_id, memberships__program_id=actor.program_id)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=roles_here, to_attr="roles_here"))
        .first()
    )
    if user is None:
        raise Http404("Not found")
    audit_record(actor=actor, action=Action.READ, object_type="User", object_id=user.pk)
    return user


def program_agencies(actor: Actor) -> list:
    """The agencies of the actor's program (program configuration, not participant data)."""
    from offramp.programs.models import Agency

    return list(Agency.objects.filter(program_id=actor.program_id).order_by("name"))
