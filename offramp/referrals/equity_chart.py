"""Geometry of the equity audit's dot-and-interval charts, rendered as SVG by a template (no JS).

One row per group: a dot at the diversion rate, a line across its 95% interval, the group's name and
the rate as text on the left and right, and a dashed line at the overall rate. Suppressed groups keep
their row with the word "suppressed" and no dot, so the chart and the table list the same groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from offramp.referrals.equity import SUPPRESSED, Cell, percent

WIDTH = 640
LABEL = 190  # the group names' column
VALUE = 150  # the rates' column, right of the plot
ROW = 28
TOP = 30  # room for the axis labels
PLOT = WIDTH - LABEL - VALUE


@dataclass(frozen=True)
class ChartRow:
    y: float
    label: str
    text: str  # the rate and interval, or "suppressed"
    x: float | None = None
    x_low: float | None = None
    x_high: float | None = None
    flagged: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    value_x: int
    ticks: list[tuple[float, str]]
    overall_x: float | None
    bottom: float
    rows: list[ChartRow]


def _x(value: float) -> float:
    return round(LABEL + PLOT * max(0.0, min(1.0, value)), 1)


def chart(label: str, cells: list[Cell], overall: float | None) -> Chart:
    rows = []
    for i, c in enumerate(cells):
        y = TOP + ROW * i + ROW / 2
        if c.rate_value is None:
            rows.append(ChartRow(y, c.group, SUPPRESSED if c.rate == SUPPRESSED else "no rate"))
            continue
        rows.append(
            ChartRow(
                y,
                c.group,
                percent(c.rate_value) + (" flagged" if c.flagged else ""),
                _x(c.rate_value),
                _x(c.ci_low if c.ci_low is not None else c.rate_value),
                _x(c.ci_high if c.ci_high is not None else c.rate_value),
                c.flagged,
            )
        )
    shown = [c for c in cells if c.rate_value is not None]
    desc = (
        "; ".join(f"{c.group}: {c.rate_value * 100:.1f}% (95% CI {c.ci})" for c in shown) or "No rates shown"
    )
    if overall is not None:
        desc = f"Overall rate {percent(overall)}. " + desc
    hidden = len(cells) - len(shown)
    if hidden:
        desc += f". {hidden} group(s) suppressed or without eligible incidents."
    bottom = TOP + ROW * len(cells)
    desc += "."
    return Chart(
        title=f"Diversion rate by {label.lower()}, with 95% confidence intervals",
        desc=desc,
        width=WIDTH,
        height=int(bottom + 10),
        plot_left=LABEL,
        plot_right=LABEL + PLOT,
        value_x=LABEL + PLOT + 10,
        ticks=[(_x(t / 100), f"{t}%") for t in (0, 25, 50, 75, 100)],
        overall_x=_x(overall) if overall is not None else None,
        bottom=bottom,
        rows=rows,
    )
