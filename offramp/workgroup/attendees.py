"""Who attends the workgroup: the program's active staff whose roles see participants' status. The
agenda's owner list is bounded (a search narrows it), and an owner is checked one account at a time."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from offramp.access.policy import MATRIX, Category, Scope
from offramp.access.scope import Actor
from offramp.accounts.models import User
from offramp.programs.models import Membership

ATTENDEE_CHOICES = 30  # the owner list offers at most this many people: search for others
SEARCH_MAX = 100
ATTENDING_ROLES = tuple(role for role, scope in MATRIX[Category.STATUS].items() if scope >= Scope.LIMITED)


@dataclass(frozen=True)
class Attendees:
    people: list  # users, by name
    more: bool  # more attendees match than are offered
    search: str


def _attending(actor: Actor) -> QuerySet:
    attends = Membership.objects.filter(
        program_id=actor.program_id, user_id=OuterRef("pk"), is_active=True, role__in=ATTENDING_ROLES
    )
    return User.objects.filter(Exists(attends), is_active=True)


def attendees(actor: Actor, *, search: str = "", include: int | None = None) -> Attendees:
    """At most ATTENDEE_CHOICES attendees by name, `search` matching every word in the name, username or
    email; `include` (a posted owner) is offered too when they attend. Staff of other programs never."""
    search = search.strip()[:SEARCH_MAX]
    people = _attending(actor)
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    found = list(people.order_by("last_name", "first_name", "username", "pk")[: ATTENDEE_CHOICES + 1])
    more = len(found) > ATTENDEE_CHOICES
    found = found[:ATTENDEE_CHOICES]
    if include is not None and all(u.pk != include for u in found):
        found = [*_attending(actor).filter(pk=include), *found]
    return Attendees(people=found, more=more, search=search)


def attendee(actor: Actor, user_id: int | None) -> User | None:
    """The account if it attends the actor's program's workgroup, else None."""
    if user_id is None:
        return None
    return _attending(actor).filter(pk=user_id).first()
