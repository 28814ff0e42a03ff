"""Which people the program's retention policy makes due: a pure rule over each person's records.

A person is due when every referral and case of theirs is: a lapsed referral (no case, or a case that
closed without intake) `lapsed_days` after it lapsed, a closed case (exited after intake)
`closed_years` after its exit. One open case, one record not yet due, or a rule left unset (the
default: nothing is removed) keeps everything. A legal hold is applied by the caller.
"""

import datetime as dt
from dataclasses import dataclass, field

LAPSED, CLOSED = "lapsed_referral", "closed_case"


@dataclass(frozen=True)
class Record:
    """One referral without a case, or one case, as the rule reads it."""

    person_id: int
    case_id: int | None
    open: bool  # a case not yet exited
    intake_done: bool
    ended_on: dt.date  # a case's exit, or the referral's date when no case was opened


@dataclass
class Due:
    person_id: int
    rule: str  # CLOSED if any closed case counts, else LAPSED
    due_since: dt.date  # the latest end among the person's records
    case_ids: list[int] = field(default_factory=list)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _until(record: Record, lapsed_days: int | None, closed_years: int | None) -> dt.date | None:
    """The day the record may go, or None while the rule keeps it."""
    if record.open:
        return None
    if record.intake_done:
        return None if closed_years is None else add_years(record.ended_on, closed_years)
    return None if lapsed_days is None else record.ended_on + dt.timedelta(days=lapsed_days)


def people_due(
    records: list[Record], *, today: dt.date, lapsed_days: int | None, closed_years: int | None
) -> list[Due]:
    by_person: dict[int, list[Record]] = {}
    for record in records:
        by_person.setdefault(record.person_id, []).append(record)
    due = []
    for person_id, own in sorted(by_person.items()):
        untils = [_until(r, lapsed_days, closed_years) for r in own]
        if any(u is None or u > today for u in untils):
            continue
        rule = CLOSED if any(r.intake_done for r in own) else LAPSED
        case_ids = sorted(r.case_id for r in own if r.case_id is not None)
        due.append(Due(person_id, rule, max(r.ended_on for r in own), case_ids))
    return due
