"""A case's status: opening at referral, intake done or lapsed, inactive, re-engaged, exited.

Each function is one transaction with one audit entry for the case (the status history row
is part of the same change). Callers that need more (notices to the prosecutor) do that
around these functions: see offramp/cases/intake_clock.py.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from offramp.access.actions import consents_end_on_exit
from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, action
from offramp.accounts.models import User
from offramp.cases.actions.common import acting_user, case_for_update
from offramp.cases.models import Case, Contact, ExitReason, Status, StatusChange

ERR_NOT_PENDING = "This case is not waiting for intake."
ERR_INTAKE_IN_FUTURE = "Intake cannot be completed in the future."
ERR_REASON_NEEDED = "Say why the case is becoming inactive."
ERR_NOT_ACTIVE = "Only an active or re-engaged case can become inactive."
ERR_NOT_REENGAGEABLE = "Only an inactive or exited case can be re-engaged."
ERR_ALREADY_EXITED = "This case has already exited."
ERR_EXIT_REASON = "Choose one of the exit reasons."
ERR_RECENT_CONTACT = (
    "There was a successful contact in the last {months} months: this is not an exit for no contact."
)
# Reasons staff may choose. A lapsed intake window is recorded by the intake clock (case_intake_lapse).
STAFF_EXIT_REASONS = tuple(r for r in ExitReason.values if r != ExitReason.INTAKE_NOT_COMPLETED)


@action("cases.case_open")
def case_open(
    *,
    actor: Actor,
    person: Model,  # a people.Person, and the referrals.Referral it came by: apps above this one
    referral: Model | None,
    case_manager: User | None = None,
    intake_due: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """A new case in status referred (intake pending), with its first status history entry."""
    now = now or timezone.now()
    case = Case.objects.create(
        program_id=actor.program_id,
        person=person,
        referral=referral,
        case_manager=case_manager,
        status=Status.REFERRED,
        opened_at=now,
        intake_due=intake_due,
        status_changed_at=now,
    )
    StatusChange.objects.create(
        program_id=actor.program_id, case=case, to_status=Status.REFERRED, at=now, by=acting_user(actor)
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Case",
        object_id=case.pk,
        detail={"status": Status.REFERRED, "intake_due": intake_due.isoformat() if intake_due else None},
    )
    return case


@action("cases.case_intake_complete")
def case_intake_complete(*, actor: Actor, case_id: int, at: dt.datetime | None = None) -> Case:
    """Intake done: the case becomes active. Whether it was in time is for the caller to act on."""
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(ERR_INTAKE_IN_FUTURE)
    case = case_for_update(actor, case_id)
    if case.status != Status.REFERRED:
        raise ValidationError(ERR_NOT_PENDING)
    _change(actor, case, Status.ACTIVE, "Intake completed", at)
    case.intake_completed_at = at
    case.save(update_fields=["status", "status_reason", "status_changed_at", "intake_completed_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Case",
        object_id=case.pk,
        detail={"status": Status.ACTIVE, "intake_completed_at": at.isoformat()},
    )
    return case


@action("cases.case_intake_lapse")
def case_intake_lapse(*, actor: Actor, case_id: int, now: dt.datetime | None = None) -> Case:
    """The intake window closed without an intake: the case exits with reason intake_not_completed."""
    now = now or timezone.now()
    case = case_for_update(actor, case_id)
    if case.status != Status.REFERRED:
        raise ValidationError(ERR_NOT_PENDING)
    reason = ExitReason.INTAKE_NOT_COMPLETED
    _change(actor, case, Status.EXITED, reason.label, now)
    case.exit_reason = reason
    case.save(update_fields=["status", "status_reason", "status_changed_at", "exit_reason"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Case",
        object_id=case.pk,
        detail={"status": Status.EXITED, "exit_reason": reason.value},
    )
    return case


def _change(actor: Actor, case: Case, to_status: str, reason: str, at: dt.datetime) -> None:
    StatusChange.objects.create(
        program_id=case.program_id,
        case=case,
        from_status=case.status,
        to_status=to_status,
        reason=reason,
        at=at,
        by=acting_user(actor),
    )
    case.status, case.status_reason, case.status_changed_at = to_status, "", at
    if to_status == Status.EXITED:  # every way out of the program ends consents "until I leave"
        consents_end_on_exit(actor=actor, person_id=case.person_id, at=at)


@action("cases.case_inactivate")
def case_inactivate(*, actor: Actor, case_id: int, reason: str, now: dt.datetime | None = None) -> Case:
    """An active (or re-engaged) case goes inactive, with the reason."""
    now = now or timezone.now()
    reason = reason.strip()[:200]
    if not reason:
        raise ValidationError(ERR_REASON_NEEDED)
    case = case_for_update(actor, case_id)
    if case.status not in (Status.ACTIVE, Status.REENGAGED):
        raise ValidationError(ERR_NOT_ACTIVE)
    _change(actor, case, Status.INACTIVE, reason, now)
    case.status_reason = reason
    case.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Case",
        object_id=case.pk,
        detail={"status": Status.INACTIVE},
    )
    return case


@action("cases.case_reengage")
def case_reengage(*, actor: Actor, case_id: int, reason: str = "", now: dt.datetime | None = None) -> Case:
    """An inactive or exited case reopens as re-engaged; its history, contacts and plan stay with it.

    A case that exited before any intake reopens as referred (intake pending) without a new
    deadline: the charging decision its lapsed window triggered has already been made.
    """
    now = now or timezone.now()
    reason = reason.strip()[:200] or "Re-engaged"
    case = case_for_update(actor, case_id)
    if case.status not in (Status.INACTIVE, Status.EXITED):
        raise ValidationError(ERR_NOT_REENGAGEABLE)
    to_status = Status.REENGAGED if case.intake_completed_at else Status.REFERRED
    _change(actor, case, to_status, reason, now)
    previous_exit, case.exit_reason = case.exit_reason, ""
    if to_status == Status.REFERRED:
        case.intake_due = None
    case.save(update_fields=["status", "status_reason", "status_changed_at", "exit_reason", "intake_due"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Case",
        object_id=case.pk,
        detail={"status": to_status, "reopened_from_exit": previous_exit or None},
    )
    return case


@action("cases.case_exit")
def case_exit(
    *, actor: Actor, case_id: int, exit_reason: str, note: str = "", now: dt.datetime | None = None
) -> Case:
    """The case exits for one of the allowed reasons. There is no reason for drug use or a missed goal."""
    now = now or timezone.now()
    if exit_reason not in STAFF_EXIT_REASONS:
        raise ValidationError(ERR_EXIT_REASON)
    case = case_for_update(actor, case_id)
    if case.status == Status.EXITED:
        raise ValidationError(ERR_ALREADY_EXITED)
    if exit_reason == ExitReason.NO_CONTACT:
        months = int(actor.program.setting("no_contact_exit_months"))
        since = now - dt.timedelta(days=30 * months)
        if Contact.objects.filter(case=case, successful=True, at__gte=since).exists():
            raise ValidationError(ERR_RECENT_CONTACT.format(months=months))
    label = ExitReason(exit_reason).label
    _change(actor, case, Status.EXITED, f"{label}: {note.strip()}"[:200] if note.strip() else label, now)
    case.exit_reason = exit_reason
    case.save(update_fields=["status", "status_reason", "status_changed_at", "exit_reason"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Case",
        object_id=case.pk,
        detail={"status": Status.EXITED, "exit_reason": exit_reason},
    )
    return case
