"""From what an officer enters to the engine's Facts, and back to plain data for the record. No database."""

import datetime as dt
from dataclasses import dataclass, field

from offramp.referrals.eligibility import Facts, HistoryEntry
from offramp.referrals.protocol import Protocol

HISTORY_NOT_CHECKED, HISTORY_CLEAR, HISTORY_FOUND = "", "clear", "found"


@dataclass(frozen=True, kw_only=True)
class ReferralDraft:
    """One referral as entered, before it is saved."""

    first_name: str = ""
    last_name: str
    date_of_birth: dt.date
    door: str
    statute: str | None
    quantity_grams: float | None = None
    substance: str | None = None
    incident_number: str = ""
    location: str = ""
    area: str = ""
    flags: dict = field(default_factory=dict)  # yes/no fact -> True, False or None (not known)
    history: dict = field(default_factory=dict)  # look-back id -> "", "clear" or "found"
    prior_activity_date: dt.date | None = None
    prior_activity_method: str | None = None
    prior_activity_in_catchment: bool | None = None
    # A community referral: who referred the person (there is no offence and no incident).
    referrer_name: str = ""
    referrer_agency: str = ""
    referrer_phone: str = ""


def facts_asked(protocol: Protocol) -> list[str]:
    """The yes/no facts the protocol's conditions and judgements ask about, each once, in file order."""
    names: list[str] = []
    for cond in (*protocol.conditions, *protocol.judgements):
        for name in (cond.when, cond.fact):
            if name and name not in names:
                names.append(name)
    return names


def facts_needed(protocol: Protocol, door: str, statute: str | None) -> list[str]:
    """The yes/no facts a rule asks about for this door and offence: exactly the conditions and
    judgements the engine applies to them, so screen 2 asks nothing that cannot matter."""
    names: list[str] = []
    for cond in (*protocol.conditions, *protocol.judgements):
        if door not in cond.doors or (cond.statutes and statute not in cond.statutes):
            continue
        for name in (cond.when, cond.fact):
            if name and name not in names:
                names.append(name)
    return names


def history_needed(protocol: Protocol, door: str) -> list:
    return [look for look in protocol.history if door in look.doors]


def quantity_needed(protocol: Protocol, door: str, statute: str | None) -> bool:
    q = protocol.quantity
    if q is None or door not in q.doors:
        return False
    return any(o.statute == statute and o.nibrs in q.applies_to for o in protocol.offences)


def prior_activity_needed(protocol: Protocol, door: str) -> bool:
    return protocol.prior_activity is not None and door in protocol.prior_activity.doors


def offence_needed(door: str) -> bool:
    """A community referral has no incident: someone referred the person, and that is asked instead."""
    return door != "community"


def to_facts(protocol: Protocol, draft: ReferralDraft, incident_date: dt.date) -> Facts:
    """The engine's Facts for a draft.

    The officer answers each look-back as not checked, none found, or found. Any "not checked"
    leaves the whole history unknown (the engine then asks for it); a "found" is recorded as one
    entry of that look-back's first class, dated on the incident, so the engine cites that rule.
    """
    looks = [look for look in protocol.history if draft.door in look.doors]  # the others are not asked
    answers = [draft.history.get(look.id, HISTORY_NOT_CHECKED) for look in looks]
    history: tuple[HistoryEntry, ...] | None
    if any(a not in (HISTORY_CLEAR, HISTORY_FOUND) for a in answers):
        history = None
    else:
        history = tuple(
            HistoryEntry(nibrs=look.classes[0], date=incident_date, disposition=look.counts[0])
            for look, answer in zip(looks, answers, strict=True)
            if answer == HISTORY_FOUND
        )
    return Facts(
        door=draft.door,
        statute=draft.statute,
        quantity_grams=draft.quantity_grams,
        substance=draft.substance or None,
        date_of_birth=draft.date_of_birth,
        incident_date=incident_date,
        history=history,
        prior_activity_date=draft.prior_activity_date,
        prior_activity_method=draft.prior_activity_method or None,
        prior_activity_in_catchment=draft.prior_activity_in_catchment,
        flags={name: draft.flags.get(name) for name in facts_asked(protocol)},
    )


def facts_record(facts: Facts, draft: ReferralDraft) -> dict:
    """The facts as JSON-ready data, stored with the decision (names and date of birth live on the Person)."""
    return {
        "door": facts.door,
        "statute": facts.statute,
        "quantity_grams": facts.quantity_grams,
        "substance": facts.substance,
        "incident_date": facts.incident_date.isoformat() if facts.incident_date else None,
        "history": dict(draft.history),
        "prior_activity_date": facts.prior_activity_date.isoformat() if facts.prior_activity_date else None,
        "prior_activity_method": facts.prior_activity_method,
        "prior_activity_in_catchment": facts.prior_activity_in_catchment,
        "flags": dict(facts.flags),
    }


def reasons_record(decision) -> list[dict]:
    return [
        {"rule": r.rule_id, "outcome": r.outcome, "message": r.message, "review_by": r.review_by}
        for r in decision.reasons
    ]
