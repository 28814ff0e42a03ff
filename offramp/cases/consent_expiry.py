"""Consents that end on an event, all the way: the daily task that ends any whose event the program has
recorded (an exit, a proceeding's end) and a report of the consents whose date comes in the next days.

Exits end consents "until I leave the program" as they happen (cases/actions.py `_change`); the daily
task catches exits recorded before that rule or by any other path, so none stays active after an exit.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from offramp.access.actions import consents_end
from offramp.access.audit import Action, audit_record
from offramp.access.models import Consent
from offramp.access.policy import Scope, case_team_scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case, Status
from offramp.programs.models import Program

REPORT_DAYS = 30


@dataclass
class ExpiryReport:
    ended_on_exit: list[int] = field(default_factory=list)
    ended_with_proceeding: list[int] = field(default_factory=list)
    ended_by_date: int = 0  # consents whose own date passed in the day before the run


def consent_expiry_run(*, now: dt.datetime | None = None) -> ExpiryReport:
    """End every consent whose expiry event the program has recorded; each ending is audited once."""
    now = now or timezone.now()
    report = ExpiryReport()
    for program in Program.objects.order_by("pk"):
        actor = Actor.system("consent-expiry", program=program)
        with trusted("cases.consent_expiry_run"):
            last_exit = (
                Case.objects.filter(program=program, person_id=OuterRef("person_id"), status=Status.EXITED)
                .order_by("-status_changed_at")
                .values("status_changed_at")[:1]
            )
            still_open = Case.objects.filter(
                program=program, person_id=OuterRef("person_id"), status__in=OPEN_STATUSES
            )
            waiting = Consent.objects.filter(
                program=program, expiry_event_at__isnull=True, revoked_at__isnull=True
            )
            exits = list(
                waiting.filter(expiry_on=Consent.ExpiryOn.EXIT)
                .annotate(exited_at=Subquery(last_exit), open=Exists(still_open))
                .filter(exited_at__isnull=False, exited_at__gte=F("signed_at"), open=False)
                .values_list("pk", "exited_at")
            )
            proceedings = list(
                waiting.filter(
                    expiry_on=Consent.ExpiryOn.PROCEEDING_END, proceeding_ended_at__isnull=False
                ).values_list("pk", "proceeding_ended_at")
            )
            report.ended_by_date += Consent.objects.filter(
                program=program, expires_at__gt=now - dt.timedelta(days=1), expires_at__lte=now
            ).count()
        for pk, at in exits:
            report.ended_on_exit += consents_end(actor=actor, consent_ids=[pk], event="exit", at=at)
        for pk, at in proceedings:
            report.ended_with_proceeding += consents_end(
                actor=actor, consent_ids=[pk], event="proceeding_end", at=at
            )
    return report


@dataclass(frozen=True)
class EndingConsent:
    consent: Consent
    case_id: int
    participant: str


def consents_expiring(actor: Actor, *, days: int = REPORT_DAYS, now: dt.datetime | None = None) -> list:
    """The case team's consents in force whose date comes in the next `days` days, soonest first: a case
    manager's own caseload, a supervisor's program. Anyone else gets 404. The read is audited."""
    from django.http import Http404

    scope = case_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    now = now or timezone.now()
    with trusted("cases.consents_expiring"):
        cases = Case.objects.filter(program_id=actor.program_id)
        if scope == Scope.OWN:
            cases = cases.filter(case_manager_id=actor.user_id)
        case_of = cases.filter(person_id=OuterRef("person_id")).order_by("-opened_at").values("pk")[:1]
        consents = list(
            Consent.objects.filter(
                program_id=actor.program_id,
                expires_at__gt=now,
                expires_at__lte=now + dt.timedelta(days=days),
                revoked_at__isnull=True,
                expiry_event_at__isnull=True,
            )
            .annotate(case_id=Subquery(case_of))
            .filter(case_id__isnull=False)
            .select_related("person")
            .order_by("expires_at", "pk")
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Consent",
        detail={"view": "consents_expiring", "days": days, "count": len(consents)},
    )
    return [
        EndingConsent(
            consent=c,
            case_id=c.case_id,
            participant=c.person.display_name,
        )
        for c in consents
    ]
