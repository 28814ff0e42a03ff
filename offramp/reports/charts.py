"""Geometry of the dashboard's SVG charts, drawn by templates (no script, so they print).

Two shapes: horizontal bars with a label and the figure as text (the same rows as the table beside
them), and columns per month with one or more series side by side. A suppressed figure keeps its row
or slot with the words of its cell ("<11") and no bar, so the chart never shows more than the table.
Colours come from classes in reports.css (a strict CSP forbids inline styles).
"""

from __future__ import annotations

from dataclasses import dataclass

from offramp.reports.cells import Cell

WIDTH = 640
LABEL = 200
VALUE = 90
ROW = 26
TOP = 24
COLUMN_HEIGHT = 180
COLUMN_BOTTOM = 40  # room for the month labels and the legend


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    series: int = 0  # which series (colour class) the bar belongs to
    text_x: float = 0.0
    text_y: float = 0.0


@dataclass(frozen=True)
class Mark:
    """A reference line (a target, a limit) across the plot, with its label."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    width: int
    height: int
    bars: list[Bar]
    marks: list[Mark]
    labels: list[tuple[float, float, str]]  # x, y, text: row labels or month labels
    legend: list[tuple[float, float, int, str]]  # x, y, series, name


def _describe(title: str, rows: list[tuple[str, Cell]]) -> str:
    return f"{title}: " + "; ".join(f"{label}: {cell.text}" for label, cell in rows) + "."


def bars(title: str, rows: list[tuple[str, Cell]], marks: list[tuple[float, str]] = ()) -> Chart:
    """One horizontal bar per row; `marks` draws vertical lines at values (a target, a limit)."""
    top = max([cell.value or 0 for _label, cell in rows] + [value for value, _ in marks] + [1])
    plot = WIDTH - LABEL - VALUE
    out, labels = [], []
    for i, (label, cell) in enumerate(rows):
        y = TOP + ROW * i
        width = round(plot * (cell.value or 0) / top, 1)
        out.append(Bar(label, cell.text, LABEL, y + 4, width, ROW - 8, 0, LABEL + width + 6, y + ROW / 2))
        labels.append((LABEL - 8, y + ROW / 2, label))
    bottom = TOP + ROW * len(rows)
    lines = [
        Mark(
            round(LABEL + plot * value / top, 1), TOP - 6, round(LABEL + plot * value / top, 1), bottom, text
        )
        for value, text in marks
    ]
    desc = _describe(title, rows)
    if marks:
        desc += " Lines: " + ", ".join(f"{text} at {value:g}" for value, text in marks) + "."
    return Chart(title, desc, WIDTH, bottom + 8, out, lines, labels, [])


def columns(title: str, months: list[str], series: list[tuple[str, list[Cell]]]) -> Chart:
    """Columns per month, the series side by side within each month's slot."""
    top = max([c.value or 0 for _name, cells in series for c in cells] + [1])
    left, plot_w = 40, WIDTH - 50
    slot = plot_w / max(1, len(months))
    width = max(2.0, round(slot * 0.8 / max(1, len(series)), 1))
    out, labels = [], []
    every = max(1, len(months) // 12)  # at most a dozen month labels
    for m, month in enumerate(months):
        x0 = left + slot * m + slot * 0.1
        if m % every == 0:
            labels.append((round(left + slot * m + slot / 2, 1), TOP + COLUMN_HEIGHT + 14, month))
        for s, (_name, cells) in enumerate(series):
            cell = cells[m]
            height = round(COLUMN_HEIGHT * (cell.value or 0) / top, 1)
            x = round(x0 + width * s, 1)
            y = round(TOP + COLUMN_HEIGHT - height, 1)
            out.append(Bar(month, cell.text, x, y, width, height, s, round(x + width / 2, 1), y - 3))
    legend = [(left + 150 * s, TOP + COLUMN_HEIGHT + 32, s, name) for s, (name, _c) in enumerate(series)]
    rows = [(f"{name} {month}", cells[m]) for name, cells in series for m, month in enumerate(months)]
    axis = [Mark(left, TOP + COLUMN_HEIGHT, WIDTH - 10, TOP + COLUMN_HEIGHT, "")]
    return Chart(
        title, _describe(title, rows), WIDTH, TOP + COLUMN_HEIGHT + COLUMN_BOTTOM, out, axis, labels, legend
    )
