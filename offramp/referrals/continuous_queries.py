"""Reads of the continuously screened arrests: the eligible-but-booked list, its count for the
workgroup agenda, and the equity audit over any period. Program configuration scope (project managers).

An arrest is "eligible but booked" when the record does not rule it out, it is older than the program's
`eligible_booked_hours` (24 unless configured) and no arrest-door referral carries its incident number,
read live: a diversion recorded after the arrest was posted takes the arrest off the list.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case
from offramp.referrals.models import Door, Referral, ScreenedArrest
from offramp.referrals.queries import equity_breakdowns, equity_presented

DEFAULT_HOURS = 24
LIST_LIMIT = 200
ERR_PERIOD = "The period's start must be on or before its end."


def booked_hours(program) -> int:
    return int(program.setting("eligible_booked_hours"))


def _referral_for(actor: Actor, *, nested: bool = False):
    """Arrest referrals with the arrest's incident number (`nested`: from a subquery one level down)."""
    number = OuterRef(OuterRef("incident_number")) if nested else OuterRef("incident_number")
    return Referral.objects.filter(
        program_id=actor.program_id, door=Door.ARREST, incident_number__iexact=number
    )


def _booked(actor: Actor, now: dt.datetime):
    """Eligible continuously screened arrests past the clock with no diversion (inside trusted())."""
    cutoff = now - dt.timedelta(hours=booked_hours(actor.program))
    return (
        ScreenedArrest.objects.filter(
            program_id=actor.program_id, run__continuous=True, eligible=True, arrested_at__lte=cutoff
        )
        .annotate(referred=Exists(_referral_for(actor)))
        .filter(referred=False)
    )


def eligible_booked(actor: Actor, *, now: dt.datetime | None = None) -> dict:
    """The newest eligible-but-booked arrests (up to LIST_LIMIT) and how many there are in all."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    now = now or timezone.now()
    with trusted("referrals.eligible_booked"):
        booked = _booked(actor, now)
        total = booked.count()
        arrests = list(booked.order_by("-arrested_at", "-id")[:LIST_LIMIT])
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="ScreenedArrest",
        detail={"view": "eligible_booked", "ids": [a.pk for a in arrests]},
    )
    return {"arrests": arrests, "total": total, "hours": booked_hours(actor.program)}


def eligible_booked_since(actor: Actor, *, since: dt.datetime, now: dt.datetime) -> int:
    """How many arrests became eligible-but-booked between `since` and `now` (the agenda's flag):
    their clock ran out in that time. A count only, for anyone who may see the workgroup agenda."""
    actor.require(Category.STATUS, Scope.LIMITED)
    hours = dt.timedelta(hours=booked_hours(actor.program))
    with trusted("referrals.eligible_booked_since"):
        return _booked(actor, now).filter(arrested_at__gt=since - hours).count()


def continuous_equity(actor: Actor, *, start: dt.date, end: dt.date, export: bool = False) -> dict:
    """The equity audit over the continuously screened arrests with an incident date in [start, end].
    Offers are read live (a referral with the arrest's incident number), as in the eligible-but-booked list.
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    if start > end:
        raise ValidationError(ERR_PERIOD)
    with trusted("referrals.continuous_equity"):
        referral = _referral_for(actor)
        completed = Case.objects.filter(
            referral__in=_referral_for(actor, nested=True).values("pk"), intake_completed_at__isnull=False
        )
        eligible = ScreenedArrest.objects.filter(
            program_id=actor.program_id,
            run__continuous=True,
            eligible=True,
            incident_date__gte=start,
            incident_date__lte=end,
        ).annotate(offer=Exists(referral), intake=Exists(completed))
        breakdowns, overall, threshold = equity_breakdowns(actor, eligible)
    audit_record(
        actor=actor,
        action=Action.EXPORT if export else Action.READ,
        object_type="ScreenedArrest",
        detail={"view": "continuous_equity", "start": start.isoformat(), "end": end.isoformat()},
    )
    return {"start": start, "end": end, **equity_presented(breakdowns, overall, threshold)}
