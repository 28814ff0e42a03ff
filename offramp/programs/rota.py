"""Who is on call: a program's rota read against a moment, with no database access.

A shift covers one weekday from `start_hour` to `end_hour` (0-24, the program's local time). A
shift whose end is not after its start runs overnight into the next day (22 to 6 covers Monday
22:00 to Tuesday 06:00). Fallback shifts answer when no regular shift covers the moment.
"""

import datetime as dt
from dataclasses import dataclass

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Shift:
    user_id: int
    weekday: int | None  # 0 = Monday; None for a fallback
    start_hour: int = 0
    end_hour: int = 24
    fallback: bool = False


def covers(shift: Shift, local: dt.datetime) -> bool:
    """Whether a regular shift covers this local moment (fallbacks cover nothing by themselves)."""
    if shift.fallback or shift.weekday is None:
        return False
    hour = local.hour + local.minute / 60
    if shift.start_hour < shift.end_hour:
        return local.weekday() == shift.weekday and shift.start_hour <= hour < shift.end_hour
    # Overnight: the evening of its own day, and the small hours of the next.
    return (local.weekday() == shift.weekday and hour >= shift.start_hour) or (
        local.weekday() == (shift.weekday + 1) % 7 and hour < shift.end_hour
    )


def on_call(shifts: list[Shift], local: dt.datetime) -> tuple[list[int], bool]:
    """The users on call at this local moment, in rota order, and whether they are the fallback."""
    regular = [s.user_id for s in shifts if covers(s, local)]
    if regular:
        return list(dict.fromkeys(regular)), False
    return list(dict.fromkeys(s.user_id for s in shifts if s.fallback)), True


def describe(shift: Shift) -> str:
    if shift.fallback:
        return "Fallback: whenever no one else is on call"
    day = WEEKDAYS[shift.weekday]
    if (shift.start_hour, shift.end_hour) == (0, 24):
        return f"{day}, all day"
    return f"{day} {shift.start_hour:02d}:00 to {shift.end_hour % 24:02d}:00" + (
        " (overnight)" if shift.end_hour <= shift.start_hour else ""
    )
