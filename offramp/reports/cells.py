"""The dashboard's arithmetic on counts already aggregated by the database: no queries here.

A count from 1 to threshold - 1 is shown as "<threshold" (0 is shown: an empty cell reveals no one);
a rate or median built on a suppressed count is not shown either, since it would give the count back.
When a row or column that shows its total has exactly one suppressed cell, the next smallest nonzero
cell is suppressed too, so the total cannot be used to work it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NO_DATA = "—"


@dataclass(frozen=True)
class Cell:
    """One figure as shown: `text` is what the page prints; `value` is None when suppressed or absent."""

    text: str
    value: float | None
    suppressed: bool = False


def count(n: int, threshold: int) -> Cell:
    if 0 < n < threshold:
        return Cell(f"<{threshold}", None, True)
    return Cell(f"{n:,}", float(n))


def counts(values: list[int], threshold: int) -> list[Cell]:
    """A row of counts shown beside its total, with complementary suppression."""
    secret = {i for i, n in enumerate(values) if 0 < n < threshold}
    if len(secret) == 1:
        others = [(n, i) for i, n in enumerate(values) if i not in secret and n > 0]
        if others:
            secret.add(min(others)[1])
    return [
        Cell(f"<{threshold}", None, True) if i in secret else Cell(f"{n:,}", float(n))
        for i, n in enumerate(values)
    ]


def rate(numerator: int, denominator: int, threshold: int) -> Cell:
    """A share as a percentage; suppressed when either count is a small cell, absent without a denominator."""
    if denominator == 0:
        return Cell(NO_DATA, None)
    if 0 < numerator < threshold or denominator < threshold:
        return Cell("suppressed", None, True)
    value = numerator / denominator
    return Cell(f"{100 * value:.1f}%", value)


def ratio(numerator: int, denominator: int, threshold: int, digits: int = 1) -> Cell:
    """A mean per unit (contacts per participant); suppressed when the denominator is a small cell."""
    if denominator == 0:
        return Cell(NO_DATA, None)
    if denominator < threshold:
        return Cell("suppressed", None, True)
    value = numerator / denominator
    return Cell(f"{value:.{digits}f}", value)


def median_of(lower: float | None, upper: float | None) -> float | None:
    """The median from the two middle values of an ordered list (equal when its length is odd)."""
    if lower is None or upper is None:
        return None
    return (lower + upper) / 2


def median(value: float | None, n: int, threshold: int, unit: str, digits: int = 0) -> Cell:
    if n == 0 or value is None:
        return Cell(NO_DATA, None)
    if n < threshold:
        return Cell("suppressed", None, True)
    return Cell(f"{value:.{digits}f} {unit}", value)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from `first`'s month to `last`'s, inclusive."""
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def next_month(month: dt.date) -> dt.date:
    return (
        month.replace(year=month.year + 1, month=1)
        if month.month == 12
        else month.replace(month=month.month + 1)
    )
