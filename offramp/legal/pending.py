"""Open warrants and pending court cases, from the imported legal-system records.

The records carry events, not states: a warrant issued, a warrant cleared, a case filed, a case
disposed. What is open is what was opened and not closed since. The records name no warrant or case
number, so a closing event closes the oldest one still open of its kind (first in, first out); a
closing event with nothing open is ignored. Dates are any date, not only since the referral.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

# opening kind -> (its closing kind, what is open, in words)
PAIRS = {
    "warrant_issued": ("warrant_cleared", "Open warrant"),
    "case_filed": ("case_disposed", "Pending case"),
}
CLOSES = {close: opens for opens, (close, _) in PAIRS.items()}
KINDS = tuple(PAIRS) + tuple(CLOSES)  # the records' kinds this module reads


@dataclass(frozen=True)
class Pending:
    what: str  # "Open warrant" or "Pending case"
    since: dt.date  # the date it was issued or filed


def open_items(events: Iterable[tuple[str, dt.date]]) -> list[Pending]:
    """What is still open from (kind, date) events, oldest first; other kinds are ignored.

    On one date an opening event counts before a closing one: issued and cleared the same day is closed.
    """
    relevant = [(date, kind not in PAIRS, kind) for kind, date in events if kind in KINDS]
    queues: dict[str, deque[dt.date]] = {kind: deque() for kind in PAIRS}
    for date, _closing, kind in sorted(relevant):
        if kind in PAIRS:
            queues[kind].append(date)
        elif queues[CLOSES[kind]]:
            queues[CLOSES[kind]].popleft()
    found = [Pending(PAIRS[kind][1], since) for kind, dates in queues.items() for since in dates]
    return sorted(found, key=lambda p: (p.since, p.what))
