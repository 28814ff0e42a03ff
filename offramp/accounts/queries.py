"""Reads of staff accounts, for administrators."""

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.accounts.models import User
from offramp.programs.models import Agency, Membership

USERS_PER_PAGE = 50


def program_users(actor: Actor, *, search: str = "", page: int | str = 1) -> Page:
    """The accounts with a role in the actor's program, with those roles, a page at a time; `search`
    matches any part of the name, username or email. The same few queries whatever the page."""
    actor.require(Category.USERS, Scope.PROGRAM)
    roles_here = Membership.objects.filter(program_id=actor.program_id).select_related("agency")
    here = Membership.objects.filter(program_id=actor.program_id, user_id=OuterRef("pk"))
    users = get_user_model().objects.filter(Exists(here))
    search = search.strip()
    for word in search.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(display_name__icontains=word)
            | Q(email__icontains=word)
        )
    users = users.prefetch_related(
        Prefetch("memberships", queryset=roles_here, to_attr="roles_here")
    ).order_by("last_name", "first_name", "username", "pk")
    result = Paginator(users, USERS_PER_PAGE).get_page(page)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="User",
        detail={
            "view": "user_list",
            "count": result.paginator.count,
            "page": result.number,
            "search": bool(search),
        },
    )
    return result


def staff_member(actor: Actor, user_id: int) -> User:
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
    return list(Agency.objects.filter(program_id=actor.program_id).order_by("name"))
