"""The demo's working day: the case manager login on call, a workgroup meeting with action items, and a
screening run of an invented records-system export with its equity audit, so every page has content."""

import datetime as dt
import random

from django.db.models import Q
from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.demo.generator import DEMO_ACCOUNTS
from offramp.programs.models import Membership, OnCallShift, Program
from offramp.programs.roles import Role
from offramp.referrals.actions import screening_run_create
from offramp.referrals.models import Door, Referral, ScreeningRun
from offramp.referrals.protocol import EXAMPLES_DIR
from offramp.workgroup.actions import action_item_add, meeting_create
from offramp.workgroup.models import Meeting

MAPPING = EXAMPLES_DIR.parent / "examples" / "cascade_pd_mapping.toml"
HEADER = (
    "IncidentNo,ArrestDate,ArrestTime,ChargeCode,ChargeDesc,NetWeightG,DrugType,DOB,Sex,Race,Ethnicity,"
    "ArrestingOfficer,Unit,Precinct"
)
EXPORT_NAME = "cascade_pd_arrests_demo.csv"
PRECINCTS = ("North", "East", "South", "West", "Downtown")
RACES = (("B", 0.34), ("W", 0.42), ("I", 0.08), ("A", 0.06), ("P", 0.02), ("U", 0.08))
DIVERTED = 300  # arrest diversions written into the export; twice as many arrests were not diverted


def _actor(program: Program, role: str) -> Actor:
    user = Membership.objects.get(program=program, role=role, user__username=DEMO_ACCOUNTS[role][0]).user
    return Actor(user=user, program=program, roles=frozenset({role}), label="demo")


def demo_day_seed(program: Program, *, seed: int = 1, now: dt.datetime | None = None) -> None:
    """Once per demo program: each part is skipped when it is there already."""
    now = now or timezone.now()
    _on_call(program)
    _workgroup(program, now)
    _screening(program, random.Random(seed))


def _on_call(program: Program) -> None:
    """The case manager login is the rota's fallback: every officer's referral reaches someone who can
    sign in (the numbered case managers have no login)."""
    if OnCallShift.objects.filter(program=program).exists():
        return
    user = _actor(program, Role.CASE_MANAGER).user
    OnCallShift.objects.create(program=program, user=user, fallback=True)


def _workgroup(program: Program, now: dt.datetime) -> None:
    with trusted("demo.day"):
        if Meeting.objects.filter(program=program).exists():
            return
    pm = _actor(program, Role.PROJECT_MANAGER)
    today = timezone.localdate(now, timezone=program.zone)
    meeting = meeting_create(actor=pm, held_on=today, now=now)
    cm = _actor(program, Role.CASE_MANAGER).user
    with trusted("demo.day"):
        item = meeting.items.filter(case__case_manager=cm).order_by("pk").first()
    action_item_add(
        actor=pm,
        meeting_id=meeting.pk,
        owner_id=cm.pk,
        what="Find them at the day centre and check in before the court date",
        due_on=today + dt.timedelta(days=3),
        item_id=item.pk if item else None,
    )
    action_item_add(
        actor=pm,
        meeting_id=meeting.pk,
        owner_id=cm.pk,
        what="Bring the shelter bed numbers to the next meeting",
        due_on=today + dt.timedelta(days=7),
    )


def _screening(program: Program, rng: random.Random) -> None:
    with trusted("demo.day"):
        if ScreeningRun.objects.filter(program=program).exists():
            return
        diverted = list(
            Referral.objects.filter(program=program, door=Door.ARREST)
            .filter(~Q(incident_number=""))
            .select_related("referring_officer")
            .order_by("-referred_at")[:DIVERTED]
        )
        officers = sorted({str(r.referring_officer) for r in diverted if r.referring_officer})
    if not diverted:  # a program with no arrest diversions yet has nothing to screen against
        return
    lines = [HEADER]
    for i, referral in enumerate(diverted):
        lines.append(
            _line(rng, referral.incident_number, referral.referred_at, str(referral.referring_officer))
        )
        for j in range(2):  # arrests the officer could have diverted and did not
            officer = rng.choice(officers) if officers else "Officer Ruiz"
            lines.append(_line(rng, f"26-9{i:04d}{j}", referral.referred_at, officer))
    screening_run_create(
        actor=_actor(program, Role.PROJECT_MANAGER),
        source="\n".join(lines).encode() + b"\n",
        file_name=EXPORT_NAME,
        mapping_text=MAPPING.read_text(encoding="utf-8"),
    )


def _line(rng: random.Random, incident: str, at: dt.datetime, officer: str) -> str:
    race = rng.choices([r for r, _ in RACES], weights=[w for _, w in RACES])[0]
    born = dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
    drug = rng.choice(("HER", "FEN", "METH", "COC"))
    grams = f"{rng.uniform(0.1, 2.8):.1f}"
    return ",".join(
        [
            incident,
            f"{at:%m/%d/%Y}",
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            "RCW 69.50.4013",
            "VUCSA possession",
            grams,
            drug,
            f"{born:%m/%d/%Y}",
            rng.choice("MMMF"),
            race,
            rng.choice("NNNH"),
            officer.replace(",", " "),
            "Patrol",
            rng.choice(PRECINCTS),
        ]
    )
