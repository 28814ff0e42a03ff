"""The dashboard's filters, read from a query string: a period of whole months and a door. No database."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from offramp.referrals.models import Door
from offramp.reports.cells import months, next_month

DEFAULT_MONTHS = 12
MAX_MONTHS = 60
ERR_MONTH = "{field}: give a month as YYYY-MM, for example 2026-01"
ERR_ORDER = "The period's first month (from) must not be after its last (to)"
ERR_LONG = f"The period may cover at most {MAX_MONTHS} months"
ERR_DOOR = "door: choose arrest, social_contact or community, or leave it empty for every door"


class FilterError(ValueError):
    """A filter could not be read; the message names the field."""


@dataclass(frozen=True)
class Period:
    first: dt.date  # the first day of the first month
    last: dt.date  # the first day of the last month
    door: str  # "" for every door
    zone: zoneinfo.ZoneInfo

    @property
    def months(self) -> list[dt.date]:
        return months(self.first, self.last)

    @property
    def start(self) -> dt.datetime:
        """The period's first moment, at local midnight in the program's time zone."""
        return dt.datetime.combine(self.first, dt.time(), tzinfo=self.zone)

    @property
    def end(self) -> dt.datetime:
        """The moment after the period (exclusive)."""
        return dt.datetime.combine(next_month(self.last), dt.time(), tzinfo=self.zone)

    @property
    def bounds(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """Each month's first moment and the next month's, at local midnight."""
        return [
            (
                dt.datetime.combine(month, dt.time(), tzinfo=self.zone),
                dt.datetime.combine(next_month(month), dt.time(), tzinfo=self.zone),
            )
            for month in self.months
        ]

    @property
    def end_date(self) -> dt.date:
        return next_month(self.last)

    def query(self) -> str:
        text = f"from={self.first:%Y-%m}&to={self.last:%Y-%m}"
        return text + (f"&door={self.door}" if self.door else "")


def _month(value: str, field: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise FilterError(ERR_MONTH.format(field=field)) from None


def period_from(params, *, today: dt.date, zone: zoneinfo.ZoneInfo) -> Period:
    """The period and door asked for; by default the twelve months to this one, every door."""
    last = _month(params["to"], "to") if params.get("to") else today.replace(day=1)
    if params.get("from"):
        first = _month(params["from"], "from")
    else:
        first = last
        for _ in range(DEFAULT_MONTHS - 1):
            first = (first - dt.timedelta(days=1)).replace(day=1)
    if first > last:
        raise FilterError(ERR_ORDER)
    if len(months(first, last)) > MAX_MONTHS:
        raise FilterError(ERR_LONG)
    door = (params.get("door") or "").strip()
    if door and door not in Door.values:
        raise FilterError(ERR_DOOR)
    return Period(first=first, last=last, door=door, zone=zone)
