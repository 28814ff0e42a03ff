"""The facts a referral decision reads, the sentences it gives as reasons, and each rule of a
protocol as a function of the facts. Pure Python, no database; `eligibility` compiles them."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from offramp.referrals import nibrs
from offramp.referrals.protocol import DOORS, Condition, Lookback, Protocol

ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
NEEDS_REVIEW = "needs_review"
OUTCOMES = (ELIGIBLE, INELIGIBLE, NEEDS_REVIEW)

DOOR_LABELS = {"arrest": "arrest diversion", "social_contact": "social contact", "community": "community"}
ROLE_LABELS = {
    "officer": "the officer",
    "sergeant": "a sergeant",
    "project_manager": "the project manager",
    "prosecutor": "the prosecutor",
}
SUBSTANCE_LABELS = {"prescription_opioid_pill": "Prescription-opioid pills"}
METHOD_LABELS = {
    "records_check": "records check",
    "observation": "direct observation",
    "credible_report": "credible report",
}
DISPOSITION_LABELS = {"conviction": "A conviction", "open": "An open case", "arrest": "An arrest"}

# Used when no decider is known yet (door missing or closed): the project manager processes referrals.
FALLBACK_REVIEWER = "project_manager"

# Messages are constants so tests, translations and the UI can rely on them.
MSG_DOOR_MISSING = (
    "How the person came (arrest diversion, social contact or community referral) is not recorded."
)
MSG_DOOR_UNKNOWN = "{door!r} is not a known referral door."
MSG_DOOR_CLOSED = "This program does not take {door} referrals."
MSG_DOOR_OPEN = "This program takes {door} referrals."
MSG_OFFENCE_MISSING = "The offence (statute code) is not recorded."
MSG_OFFENCE_NONE_COMMUNITY = "A community referral needs no offence."
MSG_OFFENCE_NOT_LISTED = "{statute!r} is not an eligible offence under this protocol."
MSG_OFFENCE_WRONG_DOOR = "{label} ({statute}) is not eligible for {door} referrals."
MSG_OFFENCE_OK = "{label} ({statute}; NIBRS {nibrs} {name}) is an eligible offence."
MSG_QUANTITY_EXEMPT = "{substance}: exempt from the {limit:g} g limit."
MSG_QUANTITY_MISSING = "The quantity in grams is needed to check the {limit:g} g limit."
MSG_QUANTITY_INVALID = "The quantity {grams!r} is not a valid number of grams."
MSG_QUANTITY_SUBSTANCE = (
    "{grams:g} g is not within the {limit:g} g limit; the substance is needed to check exemptions."
)
MSG_QUANTITY_OVER = "{grams:g} g is over the limit of {limit:g} g."
MSG_QUANTITY_NOT_UNDER = "{grams:g} g is not under the limit of {limit:g} g."
MSG_QUANTITY_OK = "{grams:g} g is within the {limit:g} g limit."
MSG_AGE_MISSING = "Age (or date of birth) is needed to check the age limits."
MSG_AGE_INCIDENT_MISSING = "The incident date is needed to work out age from the date of birth."
MSG_AGE_UNDER = "Age {age} is under the minimum age of {limit}."
MSG_AGE_OVER = "Age {age} is over the maximum age of {limit}."
MSG_AGE_OK_MIN = "Age {age} meets the minimum age of {limit}."
MSG_AGE_OK_MAX = "Age {age} is within the maximum age of {limit}."
MSG_HISTORY_MISSING = "The criminal history has not been checked (needed for: {label})."
MSG_HISTORY_INCIDENT_MISSING = "The incident date is needed for the {years}-year look-back ({label})."
MSG_HISTORY_HIT = "{disposition} for {offence} on {date} is within the look-back: {label}."
MSG_HISTORY_HIT_YEARS = "{disposition} for {offence} on {date} is within the {years}-year look-back: {label}."
MSG_HISTORY_OK = "No disqualifying history: {label}."
MSG_HISTORY_OK_YEARS = "No disqualifying history in the last {years} years: {label}."
MSG_FACT_MISSING = "Not yet answered: {question} (needed for: {label})."
MSG_FACT_NOT_BOOL = "The answer to {question!r} is not yes or no (needed for: {label})."
MSG_MET = "Met: {label}."
MSG_NOT_MET = "Not met: {label}."
MSG_PRIOR_METHOD_MISSING = "How the prior activity was verified is not recorded."
MSG_PRIOR_METHOD_BAD = "Prior activity verified by {method!r} is not accepted (accepted: {accepted})."
MSG_PRIOR_METHOD_OK = "Prior activity was verified by {method}."
MSG_PRIOR_DATE_MISSING = "The date of the verified prior activity is not recorded."
MSG_PRIOR_INCIDENT_MISSING = "The referral date is needed to check the {months}-month window."
MSG_PRIOR_OLD = "The verified prior activity on {date} is more than {months} months before the referral."
MSG_PRIOR_RECENT = "The verified prior activity on {date} is within {months} months of the referral."
MSG_PRIOR_AREA_MISSING = "Whether the prior activity was inside the catchment area is not recorded."
MSG_PRIOR_AREA_OUT = "The prior activity was outside the catchment area."
MSG_PRIOR_AREA_IN = "The prior activity was inside the catchment area."
MSG_FINAL = "{role} has final authority: the referral needs their approval."


@dataclass(frozen=True, kw_only=True, slots=True)
class HistoryEntry:
    nibrs: str
    date: dt.date
    disposition: str = "conviction"  # one of protocol.DISPOSITIONS


@dataclass(frozen=True, kw_only=True, slots=True)
class Facts:
    """What is known about one referral; None always means "not known yet", never "no"."""

    door: str | None = None
    statute: str | None = None
    quantity_grams: float | None = None
    substance: str | None = None
    age: int | None = None  # used only when date_of_birth and incident_date are not both known
    date_of_birth: dt.date | None = None
    incident_date: dt.date | None = None  # the arrest, contact or referral date
    history: tuple[HistoryEntry, ...] | None = None  # None: not checked; (): checked and clean
    prior_activity_date: dt.date | None = None
    prior_activity_method: str | None = None
    prior_activity_in_catchment: bool | None = None
    flags: Mapping[str, bool | None] = field(default_factory=dict)  # yes/no facts by name


@dataclass(frozen=True, slots=True)
class Reason:
    rule_id: str
    outcome: str
    message: str
    review_by: str | None = None  # for needs_review: who can supply or decide it
    missing: tuple[str, ...] = ()


Rule = Callable[[Facts, "str | None"], "Reason | None"]


# ---- rules: each returns one Reason, or None when it does not apply ------------------------


def _review(rule_id: str, message: str, *missing: str, review_by: str | None = None) -> Reason:
    return Reason(rule_id, NEEDS_REVIEW, message, review_by=review_by, missing=missing)


def _door_rule(protocol: Protocol) -> Rule:
    missing = _review("door.open", MSG_DOOR_MISSING, "door", review_by=FALLBACK_REVIEWER)
    by_door = {
        door: Reason(
            "door.open",
            ELIGIBLE if door in protocol.doors else INELIGIBLE,
            (MSG_DOOR_OPEN if door in protocol.doors else MSG_DOOR_CLOSED).format(door=DOOR_LABELS[door]),
        )
        for door in DOORS
    }

    def rule(facts: Facts, door: str | None) -> Reason:
        if door is None:
            return missing
        return by_door.get(door) or Reason("door.open", INELIGIBLE, MSG_DOOR_UNKNOWN.format(door=door))

    return rule


def _offence_rule(protocol: Protocol) -> Rule:
    missing = _review("offence.eligible", MSG_OFFENCE_MISSING, "statute")
    by_statute: dict[tuple[str, str | None], Reason] = {}
    for o in protocol.offences:
        ok = Reason(
            "offence.eligible",
            ELIGIBLE,
            MSG_OFFENCE_OK.format(label=o.label, statute=o.statute, nibrs=o.nibrs, name=nibrs.name(o.nibrs)),
        )
        by_statute[(o.statute, None)] = ok
        for door in DOORS:
            by_statute[(o.statute, door)] = (
                ok
                if door in o.doors
                else Reason(
                    "offence.eligible",
                    INELIGIBLE,
                    MSG_OFFENCE_WRONG_DOOR.format(label=o.label, statute=o.statute, door=DOOR_LABELS[door]),
                )
            )

    no_offence = Reason("offence.eligible", ELIGIBLE, MSG_OFFENCE_NONE_COMMUNITY)

    def rule(facts: Facts, door: str | None) -> Reason:
        if facts.statute is None:
            # Someone in the community referred the person: there was no incident, so no offence.
            return no_offence if door == "community" else missing
        found = by_statute.get((facts.statute, door if door in DOORS else None))
        if found is None:
            return Reason(
                "offence.eligible", INELIGIBLE, MSG_OFFENCE_NOT_LISTED.format(statute=facts.statute)
            )
        return found

    return rule


def _quantity_rule(protocol: Protocol) -> Rule:
    q = protocol.quantity
    limit, inclusive = q.max_grams, q.inclusive
    exempt = frozenset(q.exempt_substances)
    # Only offences mapped to the listed NIBRS codes are weighed (possession, not prostitution).
    weighed = frozenset(o.statute for o in protocol.offences if o.nibrs in q.applies_to)
    rid = "quantity.max_grams"
    exempt_reasons = {
        s: Reason(rid, ELIGIBLE, MSG_QUANTITY_EXEMPT.format(substance=_substance_label(s), limit=limit))
        for s in exempt
    }
    missing_grams = _review(rid, MSG_QUANTITY_MISSING.format(limit=limit), "quantity_grams")
    missing_both = _review(rid, MSG_QUANTITY_MISSING.format(limit=limit), "quantity_grams", "substance")
    over_msg = MSG_QUANTITY_OVER if inclusive else MSG_QUANTITY_NOT_UNDER

    def rule(facts: Facts, door: str | None) -> Reason | None:
        if facts.statute not in weighed:
            return None
        substance, grams = facts.substance, facts.quantity_grams
        if substance in exempt_reasons:
            return exempt_reasons[substance]
        if grams is None:
            return missing_both if exempt and substance is None else missing_grams
        if not isinstance(grams, int | float) or isinstance(grams, bool) or not 0 <= grams < float("inf"):
            return _review(rid, MSG_QUANTITY_INVALID.format(grams=grams), "quantity_grams")
        if grams > limit or (grams == limit and not inclusive):
            if exempt and substance is None:
                return _review(rid, MSG_QUANTITY_SUBSTANCE.format(grams=grams, limit=limit), "substance")
            return Reason(rid, INELIGIBLE, over_msg.format(grams=grams, limit=limit))
        return Reason(rid, ELIGIBLE, MSG_QUANTITY_OK.format(grams=grams, limit=limit))

    return rule


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _age_rule(rule_id: str, limit: int, *, below: bool) -> Rule:
    missing_age = _review(rule_id, MSG_AGE_MISSING, "age")
    missing_incident = _review(rule_id, MSG_AGE_INCIDENT_MISSING, "incident_date")
    bad, ok = (MSG_AGE_UNDER, MSG_AGE_OK_MIN) if below else (MSG_AGE_OVER, MSG_AGE_OK_MAX)

    def rule(facts: Facts, door: str | None) -> Reason:
        if facts.date_of_birth is not None and facts.incident_date is not None:
            age = age_on(facts.date_of_birth, facts.incident_date)
        elif facts.age is not None:
            age = facts.age
        else:
            return missing_incident if facts.date_of_birth is not None else missing_age
        fails = age < limit if below else age > limit
        return Reason(
            rule_id, INELIGIBLE if fails else ELIGIBLE, (bad if fails else ok).format(age=age, limit=limit)
        )

    return rule


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def months_before(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _history_rule(look: Lookback) -> Rule:
    rid = f"history.lookback.{look.id}"
    classes, counts, years = frozenset(look.classes), frozenset(look.counts), look.years
    missing_history = _review(rid, MSG_HISTORY_MISSING.format(label=look.label), "history")
    missing_incident = _review(
        rid, MSG_HISTORY_INCIDENT_MISSING.format(years=years, label=look.label), "incident_date"
    )
    ok = Reason(
        rid,
        ELIGIBLE,
        (MSG_HISTORY_OK_YEARS if years else MSG_HISTORY_OK).format(years=years, label=look.label),
    )
    hit_msg = MSG_HISTORY_HIT_YEARS if years else MSG_HISTORY_HIT

    def rule(facts: Facts, door: str | None) -> Reason:
        if facts.history is None:
            return missing_history
        cutoff = None
        if years is not None:
            if facts.incident_date is None:
                return missing_incident
            cutoff = years_before(facts.incident_date, years)
        hits = [
            e
            for e in facts.history
            if e.nibrs in classes and e.disposition in counts and (cutoff is None or e.date >= cutoff)
        ]
        if not hits:
            return ok
        latest = max(hits, key=lambda e: e.date)
        return Reason(
            rid,
            INELIGIBLE,
            hit_msg.format(
                disposition=DISPOSITION_LABELS.get(latest.disposition, latest.disposition),
                offence=nibrs.name(latest.nibrs),
                date=latest.date.isoformat(),
                years=years,
                label=look.label,
            ),
        )

    return rule


def _condition_rule(protocol: Protocol, kind: str, cond: Condition, review_by: str | None) -> Rule:
    rid = f"{kind}.{cond.id}"
    fact, require, when = cond.fact, cond.require, cond.when
    statutes = frozenset(cond.statutes)
    met = Reason(rid, ELIGIBLE, MSG_MET.format(label=cond.label))
    not_met = Reason(rid, INELIGIBLE, MSG_NOT_MET.format(label=cond.label))

    def unanswered(name: str, value: object) -> Reason:
        template = MSG_FACT_MISSING if value is None else MSG_FACT_NOT_BOOL
        return _review(
            rid,
            template.format(question=protocol.question(name), label=cond.label),
            name,
            review_by=review_by,
        )

    def rule(facts: Facts, door: str | None) -> Reason | None:
        if statutes and facts.statute not in statutes:
            return None  # not this offence (a missing statute is held back by offence.eligible)
        flags = facts.flags
        if when is not None:
            gate = flags.get(when)
            if not isinstance(gate, bool):
                return unanswered(when, gate)
            if not gate:
                return None
        value = flags.get(fact)
        if not isinstance(value, bool):
            return unanswered(fact, value)
        return met if value is require else not_met

    return rule


def _prior_method_rule(methods: tuple[str, ...]) -> Rule:
    rid = "pathway.prior_activity.verified"
    missing = _review(rid, MSG_PRIOR_METHOD_MISSING, "prior_activity_method")
    accepted = ", ".join(METHOD_LABELS.get(m, m) for m in methods)
    ok = {
        m: Reason(rid, ELIGIBLE, MSG_PRIOR_METHOD_OK.format(method=METHOD_LABELS.get(m, m))) for m in methods
    }

    def rule(facts: Facts, door: str | None) -> Reason:
        method = facts.prior_activity_method
        if method is None:
            return missing
        return ok.get(method) or Reason(
            rid, INELIGIBLE, MSG_PRIOR_METHOD_BAD.format(method=method, accepted=accepted)
        )

    return rule


def _prior_recent_rule(months: int) -> Rule:
    rid = "pathway.prior_activity.recent"
    missing_date = _review(rid, MSG_PRIOR_DATE_MISSING, "prior_activity_date")
    missing_incident = _review(rid, MSG_PRIOR_INCIDENT_MISSING.format(months=months), "incident_date")

    def rule(facts: Facts, door: str | None) -> Reason:
        if facts.prior_activity_date is None:
            return missing_date
        if facts.incident_date is None:
            return missing_incident
        recent = facts.prior_activity_date >= months_before(facts.incident_date, months)
        template = MSG_PRIOR_RECENT if recent else MSG_PRIOR_OLD
        return Reason(
            rid,
            ELIGIBLE if recent else INELIGIBLE,
            template.format(date=facts.prior_activity_date.isoformat(), months=months),
        )

    return rule


def _prior_area_rule() -> Rule:
    rid = "pathway.prior_activity.catchment"
    missing = _review(rid, MSG_PRIOR_AREA_MISSING, "prior_activity_in_catchment")
    inside = Reason(rid, ELIGIBLE, MSG_PRIOR_AREA_IN)
    outside = Reason(rid, INELIGIBLE, MSG_PRIOR_AREA_OUT)

    def rule(facts: Facts, door: str | None) -> Reason:
        value = facts.prior_activity_in_catchment
        if not isinstance(value, bool):
            return missing
        return inside if value else outside

    return rule


def _substance_label(substance: str) -> str:
    return SUBSTANCE_LABELS.get(substance) or substance.replace("_", " ").capitalize()
