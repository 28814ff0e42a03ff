"""The equity audit's arithmetic: per-group counts, rates with 95% confidence intervals, disparity ratios
against a reference group, officers flagged below their peers, small cells suppressed. No database.

A count from 1 to threshold - 1 is shown as "<threshold"; a rate, interval, ratio or flag built on a
suppressed count is not shown either (it would give the count back). When a column of a breakdown has
exactly one suppressed cell, the next smallest is suppressed too, so the total cannot give it back.

Rates: offers per eligible incident, with the Wilson score interval (good at small counts and at 0 or
100%). Disparity ratio: a group's rate over the reference group's, with the Katz log interval
(exp(ln RR +/- 1.96 * sqrt(1/a - 1/n1 + 1/c - 1/n2))); not given when either side has no offers.
Officer flags: a pooled two-proportion z-test of one officer against every other eligible incident;
flagged when the officer's rate is lower and p < 0.05.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from statsmodels.stats.proportion import proportion_confint, proportions_ztest

DEFAULT_THRESHOLD = 11
SUPPRESSED = "suppressed"
NONE = "—"  # no eligible arrests: no rate to give
REFERENCE = "reference"
COUNTS = ("eligible", "offered", "intakes")
DIMENSIONS = (
    ("race", "Race"),
    ("ethnicity", "Ethnicity"),
    ("sex", "Sex"),
    ("age_group", "Age group"),
    ("officer", "Officer"),
    ("unit", "Unit"),
    ("shift", "Shift"),
    ("area", "Area"),
)
Z95 = 1.959963984540054
ALPHA = 0.05


@dataclass(frozen=True)
class Row:
    group: str
    eligible: int
    offered: int  # eligible and diverted
    intakes: int  # of those offered, intake completed


@dataclass
class Cell:
    group: str
    eligible: str
    offered: str
    intakes: str
    rate: str  # offered / eligible, as a percentage
    gap: str  # rate minus the overall rate, in percentage points
    rate_value: float | None  # for sorting and charts; None when suppressed
    ci: str = NONE  # the rate's 95% interval, "40.1% to 59.9%"
    ci_low: float | None = None
    ci_high: float | None = None
    ratio: str = NONE  # rate / the reference group's rate
    ratio_ci: str = NONE
    ratio_value: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    is_reference: bool = False
    flagged: bool = False  # officers only: significantly below the other officers
    evidence: str = ""  # the numbers behind a flag


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def points(value: float | None) -> str:
    return "" if value is None else f"{100 * value:+.1f} pts"


def wilson(offered: int, eligible: int) -> tuple[float, float] | None:
    """The 95% Wilson score interval of offered / eligible."""
    if not eligible:
        return None
    low, high = proportion_confint(offered, eligible, alpha=ALPHA, method="wilson")
    return float(low), float(high)


def disparity(offered: int, eligible: int, ref_offered: int, ref_eligible: int):
    """(ratio, low, high) of this group's rate to the reference's; low/high None when not estimable."""
    if not eligible or not ref_eligible or not ref_offered:
        return None
    ratio = (offered / eligible) / (ref_offered / ref_eligible)
    if not offered:
        return ratio, None, None
    se = math.sqrt(1 / offered - 1 / eligible + 1 / ref_offered - 1 / ref_eligible)
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


def below_peers(offered: int, eligible: int, rest_offered: int, rest_eligible: int) -> tuple[float, float]:
    """(z, two-sided p) of one rate against the rest, pooled two-proportion z-test."""
    z, p = proportions_ztest([offered, rest_offered], [eligible, rest_eligible])
    return float(z), float(p)


def reference_group(rows: list[Row], configured: str | None = None) -> str | None:
    """The configured group if it is present, else the group with the most eligible incidents."""
    present = [r for r in rows if r.eligible]
    if configured and any(r.group == configured for r in present):
        return configured
    return min(present, key=lambda r: (-r.eligible, r.group)).group if present else None


def breakdown(
    rows: list[Row],
    overall: float | None,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    reference: str | None = None,
    flag_officers: bool = False,
) -> list[Cell]:
    """Display cells for one breakdown, largest group first. `reference` names the configured
    reference group (default: the largest); `flag_officers` tests each group against the rest."""
    rows = sorted(rows, key=lambda r: (-r.eligible, r.group))
    hidden = {name: {i for i, r in enumerate(rows) if 0 < getattr(r, name) < threshold} for name in COUNTS}
    for name in COUNTS:
        if len(hidden[name]) == 1:
            shown = [i for i in range(len(rows)) if i not in hidden[name] and getattr(rows[i], name) > 0]
            if shown:
                hidden[name].add(min(shown, key=lambda i: getattr(rows[i], name)))
    secret = {i for i in range(len(rows)) if i in hidden["eligible"] or i in hidden["offered"]}
    ref_name = reference_group(rows, reference) if len(rows) > 1 else None
    ref = next((i for i, r in enumerate(rows) if r.group == ref_name), None)
    if ref in secret:
        ref = None  # a ratio to a suppressed group would give its counts back
    total_offered = sum(r.offered for r in rows)
    total_eligible = sum(r.eligible for r in rows)
    cells = []
    for i, r in enumerate(rows):
        value = None if i in secret else rate(r.offered, r.eligible)
        gap = None if value is None or overall is None else value - overall
        show = {n: (f"<{threshold}" if i in hidden[n] else f"{getattr(r, n):,}") for n in COUNTS}
        cell = Cell(
            r.group,
            show["eligible"],
            show["offered"],
            show["intakes"],
            SUPPRESSED if i in secret else (percent(value) or NONE),
            points(gap) or NONE,
            value,
        )
        if value is not None:
            cell.ci_low, cell.ci_high = wilson(r.offered, r.eligible)
            cell.ci = f"{percent(cell.ci_low)} to {percent(cell.ci_high)}"
            if i == ref:
                cell.is_reference, cell.ratio, cell.ratio_value = True, REFERENCE, 1.0
            elif ref is not None:
                _ratio(cell, disparity(r.offered, r.eligible, rows[ref].offered, rows[ref].eligible))
            if flag_officers:
                _flag(cell, r, total_offered - r.offered, total_eligible - r.eligible, threshold)
        cells.append(cell)
    return cells


def _ratio(cell: Cell, found) -> None:
    if found is None:
        return
    cell.ratio_value, cell.ratio_low, cell.ratio_high = found
    cell.ratio = f"{cell.ratio_value:.2f}"
    if cell.ratio_low is not None:
        cell.ratio_ci = f"{cell.ratio_low:.2f} to {cell.ratio_high:.2f}"


def _flag(cell: Cell, r: Row, rest_offered: int, rest_eligible: int, threshold: int) -> None:
    # Too few on either side to test, or the rest has no spread at all: no flag.
    if r.eligible < threshold or rest_eligible < threshold or rest_offered == 0:
        return
    rest = rest_offered / rest_eligible
    if r.offered / r.eligible >= rest:
        return
    z, p = below_peers(r.offered, r.eligible, rest_offered, rest_eligible)
    if p < ALPHA:
        cell.flagged = True
        p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        cell.evidence = (
            f"{r.offered:,} of {r.eligible:,} eligible offered ({percent(r.offered / r.eligible)}) "
            f"against {rest_offered:,} of {rest_eligible:,} ({percent(rest)}) for everyone else; "
            f"z = {z:.2f}, {p_text}"
        )


CSV_HEADER = (
    "dimension",
    "group",
    "eligible",
    "offers",
    "intakes_completed",
    "diversion_rate",
    "rate_ci95_low",
    "rate_ci95_high",
    "gap_to_overall",
    "disparity_ratio",
    "ratio_ci95_low",
    "ratio_ci95_high",
    "flagged_below_peers",
    "evidence",
)


def csv_rows(breakdowns) -> list[tuple]:
    """The tables as exported: the same cells as the page, so suppressed counts stay suppressed."""

    def num(value: float | None, digits: int) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    rows = [CSV_HEADER]
    for _field, label, cells, *_ in breakdowns:
        for c in cells:
            rows.append(
                (
                    label,
                    c.group,
                    c.eligible,
                    c.offered,
                    c.intakes,
                    c.rate,
                    num(c.ci_low, 4),
                    num(c.ci_high, 4),
                    c.gap,
                    c.ratio,
                    num(c.ratio_low, 3),
                    num(c.ratio_high, 3),
                    "yes" if c.flagged else "",
                    c.evidence,
                )
            )
    return rows
