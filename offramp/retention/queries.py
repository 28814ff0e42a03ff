"""What the retention policy would remove now, per program, and the legal holds in force."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Status
from offramp.programs.models import Program
from offramp.referrals.models import Referral
from offramp.retention.models import LegalHold, Removal
from offramp.retention.policy import require_hold_manager
from offramp.retention.rules import Due, Record, people_due


@dataclass
class Plan:
    """A program's retention as of `today`: who would go, who a legal hold keeps."""

    program: Program
    today: dt.date
    lapsed_days: int | None
    closed_years: int | None
    due: list[Due]
    held: list[Due]

    @property
    def enabled(self) -> bool:
        return self.lapsed_days is not None or self.closed_years is not None


def _records(program: Program, done: set[int]) -> list[Record]:
    zone = program.zone
    records = []
    cases = Case.objects.filter(program=program).values_list(
        "pk", "person_id", "status", "intake_completed_at", "status_changed_at"
    )
    for case_id, person_id, status, intake_at, changed_at in cases.iterator(chunk_size=2000):
        if person_id in done:
            continue
        ended = changed_at.astimezone(zone).date()
        records.append(Record(person_id, case_id, status != Status.EXITED, intake_at is not None, ended))
    without_case = Referral.objects.filter(program=program, cases__isnull=True).values_list(
        "person_id", "referred_at"
    )
    for person_id, referred_at in without_case.iterator(chunk_size=2000):
        if person_id not in done:
            records.append(Record(person_id, None, False, False, referred_at.astimezone(zone).date()))
    return records


def held_people(program: Program) -> set[int]:
    """People with a legal hold in force (inside trusted())."""
    holds = LegalHold.objects.filter(program=program, released_at__isnull=True)
    return set(holds.values_list("person_id", flat=True))


def retention_plan(program: Program, *, now: dt.datetime) -> Plan:
    """Who the program's policy makes due now (a person already removed is not listed again)."""
    lapsed_days = program.setting("retention_lapsed_referral_days")
    closed_years = program.setting("retention_closed_case_years")
    today = now.astimezone(program.zone).date()
    if lapsed_days is None and closed_years is None:
        return Plan(program, today, None, None, [], [])
    with trusted("retention.retention_plan"):
        done = set(Removal.objects.filter(program=program).values_list("person_id", flat=True))
        due = people_due(
            _records(program, done), today=today, lapsed_days=lapsed_days, closed_years=closed_years
        )
        held = held_people(program)
    return Plan(
        program,
        today,
        lapsed_days,
        closed_years,
        due=[d for d in due if d.person_id not in held],
        held=[d for d in due if d.person_id in held],
    )


def retention_dry_run(actor: Actor, program: Program, *, now: dt.datetime) -> Plan:
    """The plan, for `offramp retention --dry-run`: record numbers and dates only; audited."""
    plan = retention_plan(program, now=now)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Person",
        object_id="retention",
        program=program,
        detail={"retention": "dry_run", "due": [d.person_id for d in plan.due], "held": len(plan.held)},
    )
    return plan


def holds_for(actor: Actor) -> list[LegalHold]:
    """The program's legal holds, in force first, for the project manager's page: audited."""
    require_hold_manager(actor)
    with trusted("retention.holds_for"):
        holds = list(
            LegalHold.objects.filter(program_id=actor.program_id)
            .select_related("person", "case", "set_by", "released_by")
            .order_by(F("released_at").asc(nulls_first=True), "-set_at")[:500]
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="LegalHold",
        detail={"holds": [h.pk for h in holds]},
    )
    return holds
