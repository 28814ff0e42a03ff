"""Outcome snapshots: the monthly check and changes between checks."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, action
from offramp.cases import outcomes
from offramp.cases.actions.common import acting_user, case_for_update, local_today
from offramp.cases.models import OutcomeSnapshot, Status

ERR_SNAPSHOT_REASON = "Say whether this is the monthly check or a change."
ERR_LIVING_SITUATION = "Choose where the participant is living."
ERR_EMPLOYMENT = "Choose where the participant is on the employment continuum."
ERR_INSURANCE = "Choose the participant's health insurance."
ERR_INCOME_SOURCE = "Choose income and benefits from the list."
ERR_SNAPSHOT_FUTURE = "A snapshot cannot be dated in the future."
ERR_SNAPSHOT_OLD = "A snapshot cannot be dated before the case was opened."
ERR_MONTH_DONE = "This month's snapshot is already recorded: record a change instead."
ERR_NOTHING_CHANGED = "Nothing differs from the last snapshot: there is no change to record."
ERR_SNAPSHOT_EXITED = "This case has exited: re-engage it before recording outcomes."
SNAPSHOT_FIELDS = ("living_situation", "employment", "income_sources", "health_insurance", "id_obtained")


def snapshot_values(snapshot: OutcomeSnapshot) -> dict:
    return {field: getattr(snapshot, field) for field in SNAPSHOT_FIELDS}


@action("cases.snapshot_record")
def snapshot_record(
    *,
    actor: Actor,
    case_id: int,
    as_of: dt.date,
    reason: str,
    living_situation: int,
    employment: str,
    income_sources: Iterable[str] = (),
    health_insurance: str,
    id_obtained: bool = False,
    now: dt.datetime | None = None,
) -> OutcomeSnapshot:
    """The participant's housing, work, income, insurance and ID as of a date.

    One monthly snapshot per calendar month; a change snapshot must differ from the one before it.
    """
    now = now or timezone.now()
    if reason not in OutcomeSnapshot.Reason.values:
        raise ValidationError(ERR_SNAPSHOT_REASON)
    if living_situation not in outcomes.LivingSituation.values:
        raise ValidationError(ERR_LIVING_SITUATION)
    if employment not in outcomes.Employment.values:
        raise ValidationError(ERR_EMPLOYMENT)
    if health_insurance not in outcomes.Insurance.values:
        raise ValidationError(ERR_INSURANCE)
    if any(source not in outcomes.IncomeSource.values for source in income_sources):
        raise ValidationError(ERR_INCOME_SOURCE)
    sources = [source for source in outcomes.IncomeSource.values if source in set(income_sources)]
    if as_of > local_today(actor):
        raise ValidationError(ERR_SNAPSHOT_FUTURE)
    case = case_for_update(actor, case_id)
    if case.status == Status.EXITED:
        raise ValidationError(ERR_SNAPSHOT_EXITED)
    if as_of < timezone.localdate(case.opened_at, timezone=actor.program.zone):
        raise ValidationError(ERR_SNAPSHOT_OLD)
    earlier = OutcomeSnapshot.objects.filter(case=case)
    if (
        reason == OutcomeSnapshot.Reason.MONTHLY
        and earlier.filter(reason=reason, as_of__year=as_of.year, as_of__month=as_of.month).exists()
    ):
        raise ValidationError(ERR_MONTH_DONE)
    snapshot = OutcomeSnapshot(
        program_id=case.program_id,
        case=case,
        as_of=as_of,
        reason=reason,
        living_situation=living_situation,
        employment=employment,
        income_sources=sources,
        health_insurance=health_insurance,
        id_obtained=id_obtained,
        by=acting_user(actor),
        created_at=now,
    )
    previous = earlier.filter(as_of__lte=as_of).order_by("-as_of", "-id").first()
    if (
        reason == OutcomeSnapshot.Reason.CHANGE
        and previous
        and snapshot_values(previous) == snapshot_values(snapshot)
    ):
        raise ValidationError(ERR_NOTHING_CHANGED)
    snapshot.save()
    changed = (
        sorted(k for k, v in snapshot_values(snapshot).items() if snapshot_values(previous)[k] != v)
        if previous
        else list(SNAPSHOT_FIELDS)
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="OutcomeSnapshot",
        object_id=snapshot.pk,
        detail={"case": case.pk, "reason": reason, "as_of": as_of.isoformat(), "changed": changed},
    )
    return snapshot
