"""The dashboard's sections on case work: engagement, caseloads, service referrals, outcomes, exits."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery

from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.cases import outcomes as outcome_codes
from offramp.cases.models import (
    OPEN_STATUSES,
    Case,
    Contact,
    ExitReason,
    OutcomeSnapshot,
    Status,
    StatusChange,
)
from offramp.programs.models import Membership
from offramp.reports import aggregate, cells, charts
from offramp.reports.cells import Cell
from offramp.reports.period import Period
from offramp.reports.sections import METHODS, Section, Table
from offramp.transitions import lifecycle
from offramp.transitions.models import ServiceReferral


def engagement(actor: Actor, period: Period, k: int, now: dt.datetime) -> Section:
    program_cases = aggregate.by_door(
        Case.objects.filter(program_id=actor.program_id), period.door, "referral__door"
    )
    months = period.months
    bounds = period.bounds
    open_then = program_cases.aggregate(
        **{
            f"m{i}": Count(
                "id",
                filter=Q(intake_completed_at__lt=end)
                & (~Q(status=Status.EXITED) | Q(status_changed_at__gte=start)),
            )
            for i, (start, end) in enumerate(bounds)
        }
    )
    counted = aggregate.by_door(
        Contact.objects.filter(
            program_id=actor.program_id, successful=True, at__gte=period.start, at__lt=period.end
        ),
        period.door,
        "case__referral__door",
    ).aggregate(**aggregate.monthly("at", period))
    contacts = {month: counted[f"m{i}"] for i, month in enumerate(months)}
    wind_days = int(actor.program.setting("in_the_wind_days"))
    cutoff = now - dt.timedelta(days=wind_days)
    quiet = Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=cutoff)  # stored on the case
    wind = program_cases.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("id"), wind=Count("id", filter=Q(opened_at__lt=cutoff) & quiet)
    )
    rows, per_month = [], []
    for i, month in enumerate(months):
        people, n = open_then[f"m{i}"], contacts.get(month, 0)
        cell = cells.ratio(n, people, k)
        per_month.append(cell)
        rows.append([aggregate.month_label(month), cells.count(n, k), cells.count(people, k), cell])
    return Section(
        "engagement",
        "Engagement and \u201cin the wind\u201d",
        [
            ("Open cases today", cells.count(wind["open"], k)),
            (f"In the wind (no successful contact in {wind_days} days)", cells.count(wind["wind"], k)),
            ("Share in the wind", cells.rate(wind["wind"], wind["open"], k)),
        ],
        Table(
            "Successful contacts per participant per month",
            ["Month", "Successful contacts", "Participants open", "Contacts per participant"],
            rows,
        ),
        charts.columns(
            "Successful contacts per participant per month",
            [aggregate.month_label(m) for m in months],
            [("Contacts per participant", per_month)],
        ),
        METHODS["engagement"],
    )


NAMED_MANAGERS = 25  # the fullest caseloads above the soft limit, by name; the rest are counted
CASELOAD_BANDS = ((0, 10), (11, 15), (16, 20), (21, 25), (26, None))


def caseloads(actor: Actor, period: Period) -> Section:
    soft = int(actor.program.setting("caseload_soft_limit"))
    hard = int(actor.program.setting("caseload_hard_limit"))
    open_cases = aggregate.by_door(
        Case.objects.filter(program_id=actor.program_id, status__in=OPEN_STATUSES),
        period.door,
        "referral__door",
    )
    per_manager = dict(open_cases.values_list("case_manager_id").annotate(n=Count("id")).order_by())
    managers = (
        Membership.objects.filter(program_id=actor.program_id, role=Role.CASE_MANAGER, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    loads = [
        (m.user.get_full_name() or m.user.get_username(), per_manager.get(m.user_id, 0)) for m in managers
    ]
    unassigned = per_manager.get(None, 0)
    # A band per caseload size keeps the page the same size however many case managers there are;
    # only those above the soft limit are named (the program overview lists everyone).
    bands = []
    for low, high in CASELOAD_BANDS:
        n = sum(low <= load and (high is None or load <= high) for _name, load in loads)
        bands.append((f"{low}-{high} open cases" if high is not None else f"{low} or more open cases", n))
    rows = [(label, Cell(f"{n:,}", float(n))) for label, n in bands]
    over = sorted(((load, name) for name, load in loads if load > soft), reverse=True)
    table = [
        [
            name,
            Cell(f"{load:,}", float(load)),
            "over the hard limit" if load > hard else "over the soft limit",
        ]
        for load, name in over[:NAMED_MANAGERS]
    ]
    return Section(
        "caseloads",
        "Caseloads against the limits",
        [
            ("Case managers", Cell(f"{len(loads):,}", float(len(loads)))),
            (f"Above the soft limit ({soft})", Cell(f"{len(over):,}", float(len(over)))),
            (f"Above the hard limit ({hard})", Cell(f"{sum(load > hard for load, _ in over):,}", 0.0)),
            ("Open cases unassigned", Cell(f"{unassigned:,}", float(unassigned))),
        ],
        Table(
            "Case managers above the soft limit"
            + (f" (the {NAMED_MANAGERS} fullest of {len(over)})" if len(over) > NAMED_MANAGERS else ""),
            ["Case manager", "Open cases", "Against the limits"],
            table,
        ),
        charts.bars("Case managers by caseload size", rows),
        METHODS["caseloads"],
    )


def services(actor: Actor, period: Period, k: int, now: dt.datetime) -> Section:
    made = aggregate.by_door(
        ServiceReferral.objects.filter(
            program_id=actor.program_id, created_at__gte=period.start, created_at__lt=period.end
        ),
        period.door,
        "case__referral__door",
    )
    connected = Q(status__in=(lifecycle.CONNECTED, lifecycle.COMPLETED))
    pending = Q(status__in=lifecycle.PENDING)
    totals = made.aggregate(
        made=Count("id"),
        connected=Count("id", filter=connected),
        pending=Count("id", filter=pending),
        timed=Count("id", filter=connected & Q(resolved_at__isnull=False)),
    )
    to_connect = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    ordered = (
        made.filter(connected, resolved_at__isnull=False)
        .annotate(days=to_connect)
        .order_by("days")
        .values_list("days", flat=True)
    )
    connect_days = aggregate.median_days(ordered, totals["timed"])
    # Days pending run to now: the median wait is now minus the median referral time (newest first).
    waiting = aggregate.middle(
        made.filter(pending).order_by("-created_at").values_list("created_at", flat=True), totals["pending"]
    )
    pending_days = (
        cells.median_of(*((now - when).total_seconds() / 86400 for when in waiting)) if waiting else None
    )
    by_status = dict(made.values_list("status").annotate(n=Count("id")).order_by())
    statuses = list(ServiceReferral.Status.choices)
    shown = cells.counts([by_status.get(value, 0) for value, _ in statuses], k)
    rows = [(label, cell) for (_v, label), cell in zip(statuses, shown, strict=True)]
    return Section(
        "services",
        "Service referrals connected",
        [
            ("Service referrals made", cells.count(totals["made"], k)),
            ("Connected", cells.count(totals["connected"], k)),
            ("Share connected", cells.rate(totals["connected"], totals["made"], k)),
            ("Median days to connect", cells.median(connect_days, totals["timed"], k, "days", 1)),
            ("Still pending", cells.count(totals["pending"], k)),
            ("Median days pending", cells.median(pending_days, totals["pending"], k, "days", 1)),
        ],
        Table(
            "Service referrals by status today",
            ["Status", "Service referrals"],
            [[label, cell] for label, cell in rows],
        ),
        charts.bars("Service referrals by status", rows),
        METHODS["services"],
    )


OUTCOME_MEASURES = (
    ("housed", "Permanent housing"),
    ("employment", "On the employment continuum"),
    ("income", "Income or benefits"),
    ("photo_id", "Current photo ID"),
)


def outcomes(actor: Actor, period: Period, k: int) -> Section:
    snaps = aggregate.by_door(
        OutcomeSnapshot.objects.filter(
            program_id=actor.program_id, as_of__gte=period.first, as_of__lt=period.end_date
        ),
        period.door,
        "case__referral__door",
    )
    twice = snaps.values("case_id").annotate(n=Count("id")).filter(n__gte=2).values("case_id")
    first = Subquery(snaps.filter(case_id=OuterRef("case_id")).order_by("as_of", "id").values("id")[:1])
    latest = Subquery(snaps.filter(case_id=OuterRef("case_id")).order_by("-as_of", "-id").values("id")[:1])
    measures = {
        "people": Count("id"),
        "housed": Count("id", filter=Q(living_situation__gte=400, living_situation__lt=500)),
        "employment": Count("id", filter=Q(employment__in=sorted(outcome_codes.ON_EMPLOYMENT_CONTINUUM))),
        "income": Count("id", filter=~Q(income_sources=[])),
        "photo_id": Count("id", filter=Q(id_obtained=True)),
    }
    pairs = snaps.filter(case_id__in=twice)
    at_first = pairs.annotate(first_id=first).filter(id=F("first_id")).aggregate(**measures)
    at_latest = pairs.annotate(latest_id=latest).filter(id=F("latest_id")).aggregate(**measures)
    people = at_first["people"]
    rows = []
    for key, label in OUTCOME_MEASURES:
        before, after = at_first[key], at_latest[key]
        rows.append(
            [
                label,
                cells.count(before, k),
                cells.rate(before, people, k),
                cells.count(after, k),
                cells.rate(after, people, k),
                _change(before, after, people, k),
            ]
        )
    chart_rows = []
    for row in rows:
        chart_rows += [(f"{row[0]}: first", row[2]), (f"{row[0]}: latest", row[4])]
    return Section(
        "outcomes",
        "Change in housing, employment, income and ID",
        [("Participants with two or more snapshots in the period", cells.count(people, k))],
        Table(
            "First and latest outcome snapshot in the period",
            ["Measure", "At first", "Share at first", "At latest", "Share at latest", "Change (people)"],
            rows,
        ),
        charts.bars("Share of participants at their first and latest snapshot", chart_rows),
        METHODS["outcomes"],
    )


def _change(before: int, after: int, people: int, k: int) -> Cell:
    if people < k or 0 < before < k or 0 < after < k:
        return Cell("suppressed" if people else cells.NO_DATA, None, bool(people))
    return Cell(f"{after - before:+,}", float(after - before))


def exits(actor: Actor, period: Period, k: int) -> Section:
    cases = aggregate.by_door(Case.objects.filter(program_id=actor.program_id), period.door, "referral__door")
    exits = dict(
        cases.filter(
            status=Status.EXITED, status_changed_at__gte=period.start, status_changed_at__lt=period.end
        )
        .values_list("exit_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    reengaged = aggregate.by_door(
        StatusChange.objects.filter(
            program_id=actor.program_id, to_status=Status.REENGAGED, at__gte=period.start, at__lt=period.end
        ),
        period.door,
        "case__referral__door",
    ).aggregate(n=Count("id"), people=Count("case_id", distinct=True))
    shown = cells.counts([exits.get(value, 0) for value, _ in ExitReason.choices], k)
    rows = [(label, cell) for (_v, label), cell in zip(ExitReason.choices, shown, strict=True)]
    return Section(
        "exits",
        "Exits by reason and re-engagements",
        [
            ("Exits", cells.count(sum(exits.values()), k)),
            ("Re-engagements", cells.count(reengaged["n"], k)),
            ("People re-engaged", cells.count(reengaged["people"], k)),
        ],
        Table("Exits by reason", ["Reason", "Exits"], [[label, cell] for label, cell in rows]),
        charts.bars("Exits by reason", rows),
        METHODS["exits"],
    )
