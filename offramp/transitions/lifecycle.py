"""The service referral's life, as pure rules: which status may follow which, and days pending.

No database here, so the rules can be tested exhaustively and shown on a page without queries.
"""

import datetime as dt

PROPOSED, REFERRED, ACCEPTED, CONNECTED = "proposed", "referred", "accepted", "connected"
DECLINED, COMPLETED, CLOSED = "declined", "completed", "closed"

STATUS_LABELS = {
    PROPOSED: "Proposed (not sent yet)",
    REFERRED: "Referred (sent to the provider)",
    ACCEPTED: "Accepted by the provider",
    CONNECTED: "Connected (the participant is receiving the service)",
    DECLINED: "Declined",
    COMPLETED: "Completed",
    CLOSED: "Closed",
}

# A referral waits (is "pending") until the participant is connected or it ends another way.
PENDING = frozenset({PROPOSED, REFERRED, ACCEPTED})
# Nothing more is expected of a referral in these: no reminders.
FINISHED = frozenset({DECLINED, COMPLETED, CLOSED})

NEXT = {
    PROPOSED: (REFERRED, DECLINED, CLOSED),
    REFERRED: (ACCEPTED, CONNECTED, DECLINED, CLOSED),
    ACCEPTED: (CONNECTED, DECLINED, CLOSED),
    CONNECTED: (COMPLETED, CLOSED),
    DECLINED: (CLOSED,),
    COMPLETED: (CLOSED,),
    CLOSED: (),
}

# Moving out of `proposed` into `referred` sends the participant's details to the provider: a disclosure.
DISCLOSING = frozenset({REFERRED})


def may_move(from_status: str, to_status: str) -> bool:
    return to_status in NEXT.get(from_status, ())


def days_pending(created_at: dt.datetime, resolved_at: dt.datetime | None, now: dt.datetime) -> int:
    """Whole days from the referral's creation until it stopped waiting (or until now)."""
    return max(0, ((resolved_at or now) - created_at).days)
