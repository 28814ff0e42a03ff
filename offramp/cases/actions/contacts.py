"""Contacts and attempts with a participant."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, action
from offramp.cases.actions.common import acting_user, case_for_update
from offramp.cases.last_contact import last_contact_refresh
from offramp.cases.models import Contact, Status

ERR_CONTACT_KIND = "Choose how the contact happened."
ERR_CONTACT_IN_FUTURE = "A contact cannot be recorded in the future."
ERR_CONTACT_TOO_OLD = "A contact more than a year ago cannot be entered here."
ERR_DURATION = "Duration is a number of minutes between 0 and 1440."
ERR_CONTACT_EXITED = "This case has exited: re-engage it before recording contacts."
MAX_CONTACT_AGE = dt.timedelta(days=366)


@action("cases.contact_record")
def contact_record(
    *,
    actor: Actor,
    case_id: int,
    kind: str,
    successful: bool = True,
    at: dt.datetime | None = None,
    location: str = "",
    duration_minutes: int | None = None,
    note: str = "",
    part2: bool = False,
) -> Contact:
    """A contact or attempt with a participant. A note marked part2 is shown only to roles with Part 2."""
    now = timezone.now()
    at = at or now
    if kind not in Contact.Kind.values:
        raise ValidationError(ERR_CONTACT_KIND)
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError(ERR_CONTACT_IN_FUTURE)
    if at < now - MAX_CONTACT_AGE:
        raise ValidationError(ERR_CONTACT_TOO_OLD)
    if duration_minutes is not None and not 0 <= duration_minutes <= 24 * 60:
        raise ValidationError(ERR_DURATION)
    case = case_for_update(actor, case_id)
    if case.status == Status.EXITED:
        raise ValidationError(ERR_CONTACT_EXITED)
    contact = Contact.objects.create(
        program_id=case.program_id,
        case=case,
        kind=kind,
        successful=successful,
        at=at,
        location=location.strip()[:200],
        duration_minutes=duration_minutes,
        note=note.strip(),
        part2=part2 and bool(note.strip()),
        by=acting_user(actor),
    )
    if successful:
        last_contact_refresh([case.pk])  # the case row is locked: no other contact lands in between
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Contact",
        object_id=contact.pk,
        detail={"case": case.pk, "kind": kind, "successful": successful, "part2": contact.part2},
    )
    return contact
