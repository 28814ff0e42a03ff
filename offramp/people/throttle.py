"""How many participant lookups a user, or an address, may make in a window.

A lookup answers "is this person a participant?" for a last name and a date of birth, so an
unlimited lookup lets someone walk the calendar until a date of birth answers yes (300 lookups in
under five seconds did it). The count is taken from the audit log, which every lookup already
writes, so it holds across server processes and needs no cache.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor

LOOKUP_VIEW = "status_lookup"
ERR_TOO_MANY = (
    "Too many lookups in the last {minutes} minutes. Try again in a few minutes; if you need more, "
    "ask your program's administrator."
)


def lookups_exhausted(actor: Actor) -> bool:
    """True when the actor's user, or the address the request came from, has used up the window."""
    since = timezone.now() - dt.timedelta(minutes=settings.LOOKUP_WINDOW_MINUTES)
    done = AuditEntry.objects.filter(
        at__gte=since, action="search", outcome=AuditEntry.Outcome.OK, detail__view=LOOKUP_VIEW
    )
    if actor.user_id is not None and done.filter(actor_id=actor.user_id).count() >= settings.LOOKUP_LIMIT:
        return True
    address = actor.source_address
    return bool(address) and done.filter(source_address=address).count() >= settings.LOOKUP_ADDRESS_LIMIT


def too_many_message() -> str:
    return ERR_TOO_MANY.format(minutes=settings.LOOKUP_WINDOW_MINUTES)
