"""Small helpers the dashboard's queries share: a door filter, medians read in SQL, month labels."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from offramp.reports import cells


def by_door(queryset, door: str, path: str):
    return queryset.filter(**{path: door}) if door else queryset


def middle(ordered, n: int) -> tuple | None:
    """The two middle values of an ordered values_list of n rows, in one query (equal when n is odd)."""
    if n == 0:
        return None
    values = list(ordered[(n - 1) // 2 : n // 2 + 1])
    return values[0], values[-1]


def median_days(ordered, n: int) -> float | None:
    middle_values = middle(ordered, n)
    if middle_values is None:
        return None
    return cells.median_of(*(value.total_seconds() / 86400 for value in middle_values))


def month_label(month: dt.date) -> str:
    return f"{month:%b %Y}"


def monthly(field: str, period) -> dict[str, Count]:
    """One conditional count per month of the period on a datetime field (m0, m1, ...): plain range
    comparisons the database can use an index for, where truncating to local months runs a function
    on every row."""
    return {
        f"m{i}": Count("id", filter=Q(**{f"{field}__gte": start, f"{field}__lt": end}))
        for i, (start, end) in enumerate(period.bounds)
    }
