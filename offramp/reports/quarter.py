"""The funder report's reporting period: one calendar quarter, read from a query string. No database.

BJA's Performance Measurement Tool collects on calendar quarters (January-March, April-June,
July-September, October-December), so the funder report does too; a quarter becomes the dashboard's
Period of three whole months, in the program's time zone, every door.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from offramp.reports.period import FilterError, Period

ERR_QUARTER = "quarter: give a calendar quarter as YYYY-QN, for example 2025-Q1"
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


def quarter_period(year: int, number: int, zone: zoneinfo.ZoneInfo) -> Period:
    first = dt.date(year, 3 * (number - 1) + 1, 1)
    last = dt.date(year, 3 * (number - 1) + 3, 1)
    return Period(first=first, last=last, door="", zone=zone)


def last_complete(today: dt.date) -> tuple[int, int]:
    """The quarter before the one `today` falls in: the one a site reports on next."""
    number = (today.month - 1) // 3 + 1
    return (today.year, number - 1) if number > 1 else (today.year - 1, 4)


def quarter_from(params, *, today: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[str, Period]:
    """The quarter asked for (`quarter=2025-Q1`), by default the last complete one, and its Period."""
    text = (params.get("quarter") or "").strip()
    if not text:
        year, number = last_complete(today)
    else:
        found = _QUARTER.fullmatch(text)
        if found is None or not 1900 < int(found[1]) < 3000:
            raise FilterError(ERR_QUARTER)
        year, number = int(found[1]), int(found[2])
    return f"{year}-Q{number}", quarter_period(year, number, zone)
