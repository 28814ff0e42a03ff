"""The program dashboard: aggregate figures for supervisors, project managers and the policy group.

Every figure is counted by the database (GROUP BY, conditional counts, and a median read as the middle
row of an ordered query), so the number of queries does not grow with the program; no participant row
leaves this module. Small cells are suppressed per the program's threshold (offramp/reports/cells.py).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import (
    Case,
    Status,
)
from offramp.referrals.models import Door, Referral, ScreeningRun
from offramp.reports import aggregate, casework, cells, charts
from offramp.reports.cells import Cell
from offramp.reports.period import Period
from offramp.reports.sections import METHODS, Section, Table

HANDOFF_TARGET_MINUTES = 30
HANDOFF_BUCKETS = ((0, 15), (15, 30), (30, 60), (60, None))


def small_cell_threshold(program) -> int:
    """The program's small-cell threshold: its setting when it has one, else the site's OFFRAMP_SMALL_CELL."""
    return program.small_cell


def _referrals(actor: Actor, period: Period, k: int) -> Section:
    rows = (
        aggregate.by_door(Referral.objects.filter(program_id=actor.program_id), period.door, "door")
        .filter(referred_at__gte=period.start, referred_at__lt=period.end)
        .values("door")
        .annotate(**aggregate.monthly("referred_at", period))
        .order_by()
    )
    found = {(month, row["door"]): row[f"m{i}"] for row in rows for i, month in enumerate(period.months)}
    doors = [(value, label) for value, label in Door.choices if not period.door or value == period.door]
    months = period.months
    table_rows, series = [], {value: [] for value, _ in doors}
    for month in months:
        values = [found.get((month, value), 0) for value, _ in doors]
        shown = cells.counts(values, k)
        total = sum(values)
        table_rows.append([aggregate.month_label(month), *shown, cells.count(total, k)])
        for (value, _label), cell in zip(doors, shown, strict=True):
            series[value].append(cell)
    door_totals = [sum(found.get((m, value), 0) for m in months) for value, _ in doors]
    totals = cells.counts(door_totals, k)
    table_rows.append(["Whole period", *totals, cells.count(sum(door_totals), k)])
    return Section(
        "referrals",
        "Referrals by door and month",
        [(label, cell) for (_v, label), cell in zip(doors, totals, strict=True)],
        Table(
            "Referrals per month and door",
            ["Month", *[label for _v, label in doors], "All doors"],
            table_rows,
        ),
        charts.columns(
            "Referrals per month by door",
            [aggregate.month_label(m) for m in months],
            [(label, series[value]) for value, label in doors],
        ),
        METHODS["referrals"],
    )


def _screening(actor: Actor, period: Period, k: int) -> Section:
    runs = ScreeningRun.objects.filter(
        program_id=actor.program_id, created_at__gte=period.start, created_at__lt=period.end
    )
    if period.door and period.door != Door.ARREST:
        runs = runs.none()
    totals = runs.aggregate(
        runs=Count("id"),
        rows=Sum("rows"),
        eligible=Sum("eligible"),
        offered=Sum("diverted"),
        booked=Sum("missed"),
    )
    eligible, offered, booked = (totals[key] or 0 for key in ("eligible", "offered", "booked"))
    figures = [
        ("Screenings", Cell(f"{totals['runs']:,}", float(totals["runs"]))),
        ("Arrests screened", cells.count(totals["rows"] or 0, k)),
        ("Eligible arrests", cells.count(eligible, k)),
        ("Offered diversion", cells.count(offered, k)),
        ("Eligible but booked", cells.count(booked, k)),
        ("Offered diversion (share of eligible)", cells.rate(offered, eligible, k)),
        ("Eligible-but-booked rate", cells.rate(booked, eligible, k)),
    ]
    chart_rows = [("Offered diversion", figures[3][1]), ("Eligible but booked", figures[4][1])]
    return Section(
        "screening",
        "Eligible arrests offered diversion",
        figures,
        None,
        charts.bars("Eligible arrests: offered diversion and booked", chart_rows),
        METHODS["screening"],
    )


def _handoffs(actor: Actor, period: Period, k: int) -> Section:
    handoffs = aggregate.by_door(
        Referral.objects.filter(
            program_id=actor.program_id,
            handoff_requested_at__gte=period.start,
            handoff_requested_at__lt=period.end,
        ),
        period.door,
        "door",
    )
    wait = ExpressionWrapper(
        F("handoff_arrived_at") - F("handoff_requested_at"), output_field=DurationField()
    )
    arrived = Q(handoff_arrived_at__isnull=False)
    buckets = {}
    for low, high in HANDOFF_BUCKETS:
        condition = arrived & Q(handoff_arrived_at__gte=F("handoff_requested_at") + dt.timedelta(minutes=low))
        if high is not None:
            condition &= Q(handoff_arrived_at__lt=F("handoff_requested_at") + dt.timedelta(minutes=high))
        buckets[f"b{low}"] = Count("id", filter=condition)
    target = F("handoff_requested_at") + dt.timedelta(minutes=HANDOFF_TARGET_MINUTES)
    totals = handoffs.aggregate(
        requested=Count("id"),
        arrived=Count("id", filter=arrived),
        within=Count("id", filter=arrived & Q(handoff_arrived_at__lte=target)),
        **buckets,
    )
    ordered = handoffs.filter(arrived).annotate(wait=wait).order_by("wait").values_list("wait", flat=True)
    middle = aggregate.middle(ordered, totals["arrived"])
    minutes = cells.median_of(*(w.total_seconds() / 60 for w in middle)) if middle else None
    names = [f"{low}-{high} minutes" if high else f"{low} minutes or more" for low, high in HANDOFF_BUCKETS]
    spread = cells.counts([totals[f"b{low}"] for low, _ in HANDOFF_BUCKETS], k)
    return Section(
        "handoffs",
        "Warm hand-offs against the 30-minute target",
        [
            ("Hand-offs requested", cells.count(totals["requested"], k)),
            ("Arrival recorded", cells.count(totals["arrived"], k)),
            ("Median minutes to arrival", cells.median(minutes, totals["arrived"], k, "minutes", 1)),
            ("Within 30 minutes", cells.rate(totals["within"], totals["arrived"], k)),
        ],
        Table(
            "Hand-offs by minutes to arrival",
            ["Minutes to arrival", "Hand-offs"],
            [[n, c] for n, c in zip(names, spread, strict=True)],
        ),
        charts.bars("Hand-offs by minutes to arrival", list(zip(names, spread, strict=True))),
        METHODS["handoffs"],
    )


def _intake(actor: Actor, period: Period, k: int, today: dt.date) -> Section:
    opened = aggregate.by_door(
        Case.objects.filter(
            program_id=actor.program_id, opened_at__gte=period.start, opened_at__lt=period.end
        ),
        period.door,
        "referral__door",
    )
    done = Q(intake_completed_at__isnull=False)
    totals = opened.aggregate(
        opened=Count("id"),
        completed=Count("id", filter=done),
        closed=Count("id", filter=done | Q(intake_due__lt=today)),
        waiting=Count("id", filter=Q(status=Status.REFERRED, intake_due__gte=today)),
    )
    days = ExpressionWrapper(F("intake_completed_at") - F("opened_at"), output_field=DurationField())
    ordered = opened.filter(done).annotate(days=days).order_by("days").values_list("days", flat=True)
    median = aggregate.median_days(ordered, totals["completed"])
    return Section(
        "intake",
        "From referral to intake",
        [
            ("Cases opened", cells.count(totals["opened"], k)),
            ("Intakes completed", cells.count(totals["completed"], k)),
            ("Median days to intake", cells.median(median, totals["completed"], k, "days", 1)),
            ("Intake completion rate", cells.rate(totals["completed"], totals["closed"], k)),
            ("Still inside their intake window", cells.count(totals["waiting"], k)),
        ],
        None,
        None,
        METHODS["intake"],
    )


def sections_for(actor: Actor, period: Period, now: dt.datetime) -> list[Section]:
    """Every section of the dashboard, unaudited: the caller checks the role and audits its reading."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    k = small_cell_threshold(actor.program)
    today = timezone.localdate(now, timezone=actor.program.zone)
    with trusted("reports.sections_for"):
        return [
            _referrals(actor, period, k),
            _screening(actor, period, k),
            _handoffs(actor, period, k),
            _intake(actor, period, k, today),
            casework.engagement(actor, period, k, now),
            casework.caseloads(actor, period),
            casework.services(actor, period, k, now),
            casework.outcomes(actor, period, k),
            casework.exits(actor, period, k),
        ]


def dashboard_for(actor: Actor, period: Period) -> dict:
    """Every section of the program dashboard for the period and door; aggregate only."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    k = small_cell_threshold(actor.program)
    now = timezone.now()
    today = timezone.localdate(now, timezone=actor.program.zone)
    sections = sections_for(actor, period, now)
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Program",
        object_id=actor.program_id,
        detail={
            "view": "dashboard",
            "from": f"{period.first:%Y-%m}",
            "to": f"{period.last:%Y-%m}",
            "door": period.door,
        },
    )
    return {"sections": sections, "threshold": k, "today": today}
