"""The planning brief: counts and assumptions turned into the figures a mayor or council reads,
and the JSON of every figure. No database; the page and `offramp plan-site` both use it."""

from __future__ import annotations

import dataclasses
import math

from offramp.planning import model
from offramp.planning.arrests import BREAKDOWNS, Counts, Group

MAX_GROUPS = 25  # rows per breakdown on the brief; the JSON keeps every group


def _whole(x: float | None) -> str:
    return "not in the file" if x is None else f"{x:,.0f}"


def _money(x: float) -> str:
    return f"${x:,.0f}"


def _span(span: model.Span, unit: str) -> str:
    return f"{math.floor(span.low):,} to {math.ceil(span.high):,} {unit}"


def counts_from_dict(data: dict) -> Counts:
    groups = {key: [Group(**g) for g in rows] for key, rows in data["groups"].items()}
    return Counts(**{**data, "groups": groups})


def build(counts: Counts, given: dict[str, model.Assumption], *, protocol_label: str) -> dict:
    """Everything the brief shows, as text, plus `figures`: the same as numbers for the JSON."""
    per_year = counts.per_year
    result = model.plan(
        eligible_arrests=per_year(counts.eligible), eligible_people=per_year(counts.people), given=given
    )
    breakdowns = []
    for key, label in BREAKDOWNS:
        rows = [
            (g.name, _whole(per_year(g.eligible)), _whole(per_year(g.people)))
            for g in counts.groups.get(key, [])[:MAX_GROUPS]
        ]
        breakdowns.append((key, label, rows, max(0, len(counts.groups.get(key, [])) - MAX_GROUPS)))
    a = {name: given[name].value for name in model.NAMES}
    headline = [
        ("Eligible arrests a year", _whole(result.eligible_arrests)),
        ("Distinct people eligible a year", _whole(result.eligible_people)),
        ("Referrals a year (offers accepted)", _whole(result.referrals)),
        ("New participants a year", _whole(result.new_participants)),
        ("Participants at any one time", _whole(result.participants)),
        (f"Case managers at a caseload of {a['caseload']:g}", f"{result.case_managers:,}"),
        ("Case supervisors", f"{result.supervisors:,}"),
        ("Yearly cost", _money(result.cost)),
        ("Cost per participant-year", _money(result.cost_per_participant)),
    ]
    effects = [
        ("People not re-arrested who otherwise would be, a year", _span(result.rearrests_avoided, "people")),
        ("Jail bookings avoided a year", _span(result.bookings_avoided, "bookings")),
        ("Jail days avoided a year", _span(result.jail_days_avoided, "days")),
    ]
    grid = [
        (f"{offer:.0%}", [_whole(n) for n in row])
        for offer, row in model.referral_grid(result.eligible_arrests)
    ]
    return {
        "counts": counts,
        "protocol_label": protocol_label,
        "years": f"{counts.years:.2f}",
        "headline": headline,
        "effects": effects,
        "breakdowns": breakdowns,
        "grid": grid,
        "grid_columns": [f"{accept:.0%}" for accept in model.ACCEPT_GRID],
        "assumptions": [given[name] for name in model.NAMES],
        "figures": {
            "file": {
                "name": counts.file_name,
                "rows": counts.rows,
                "first_date": counts.first_date,
                "last_date": counts.last_date,
                "days": counts.days,
            },
            "protocol": protocol_label,
            "eligible_in_file": {"arrests": counts.eligible, "people": counts.people},
            "plan": dataclasses.asdict(result),
            "by": {key: [dataclasses.asdict(g) for g in counts.groups.get(key, [])] for key, _ in BREAKDOWNS},
            "assumptions": {
                name: {"value": given[name].value, "source": given[name].source} for name in model.NAMES
            },
        },
    }
