"""What a LEAD program for a city would take and might do: the planning arithmetic. No database.

Every number the plan rests on is an `Assumption` with a name, a value, a unit and where it comes
from, so the brief can show and edit all of them. Effects come from the Seattle evaluations and are
applied as ranges (a low and a high value), never as one promise:

- re-arrest: odds ratio 0.42 for any arrest over the longer term (Collins, Lonczak & Clifasefi 2017,
  Evaluation and Program Planning 64:49-56, doi:10.1016/j.evalprogplan.2017.05.008; 0.40 in the
  first six months; felony charges 0.61);
- jail bookings: 1.4 fewer a year per participant, and jail days: 39 to 41 fewer a year (Collins,
  Lonczak & Clifasefi 2019, Journal of Experimental Criminology 15:201-211,
  doi:10.1007/s11292-019-09352-7; the 2015 evaluation report gives 39, the article 41).

Those papers' abstracts give point estimates, not intervals, so the low end of each default range
is an assumption made visible: half of Seattle's effect (on the log-odds scale for the odds ratio).
A site with the published intervals, or its own, types them in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

MAX_CASELOAD = 25  # never above 25 participants per case manager
SOURCE_2017 = "Collins, Lonczak & Clifasefi 2017 (Evaluation and Program Planning 64:49-56)"
SOURCE_2019 = "Collins, Lonczak & Clifasefi 2019 (Journal of Experimental Criminology 15:201-211)"
HALF = "assumption: half of Seattle's effect"
LOCAL = "assumption: replace with local figures"

ERR_NUMBER = "{name}: expected a number, got {value!r}"
ERR_RANGE = "{name}: must be from {low:g} to {high:g}"
ERR_ORDER = "{name}: the low end of the range must not be above the high end"
ERR_UNKNOWN = "{name}: not an assumption of the plan; expected one of {names}"


@dataclass(frozen=True)
class Assumption:
    name: str
    label: str
    value: float
    unit: str
    source: str
    low: float = 0.0  # the smallest value allowed
    high: float = math.inf  # the largest value allowed


DEFAULTS = (
    Assumption("offer_rate", "Eligible arrests where officers offer diversion", 0.5, "share", LOCAL, 0, 1),
    Assumption("acceptance_rate", "Offers accepted, with intake completed", 0.7, "share", LOCAL, 0, 1),
    Assumption("months_in_program", "Average months a participant stays", 12, "months", LOCAL, 1, 120),
    Assumption(
        "caseload",
        "Participants per case manager",
        20,
        "people",
        "LEAD practice: 20, never above 25",
        1,
        MAX_CASELOAD,
    ),
    Assumption("case_manager_cost", "A case manager, salary and benefits", 85_000, "$ a year", LOCAL),
    Assumption("case_managers_per_supervisor", "Case managers per supervisor", 6, "people", LOCAL, 1, 50),
    Assumption("supervisor_cost", "A case supervisor, salary and benefits", 105_000, "$ a year", LOCAL),
    Assumption(
        "project_manager_cost", "The project manager, salary and benefits", 120_000, "$ a year", LOCAL
    ),
    Assumption("services_cost", "Flexible services funds per participant", 3_000, "$ a year", LOCAL),
    Assumption("overhead_rate", "Overhead on the above", 0.15, "share", LOCAL, 0, 1),
    Assumption(
        "baseline_rearrest",
        "People booked as usual who are re-arrested within a year",
        0.6,
        "share",
        LOCAL,
        0,
        1,
    ),
    Assumption(
        "rearrest_or_high", "Re-arrest odds ratio, strong end", 0.42, "odds ratio", SOURCE_2017, 0.01, 1
    ),
    Assumption(
        "rearrest_or_low",
        "Re-arrest odds ratio, weak end",
        round(math.sqrt(0.42), 3),
        "odds ratio",
        HALF,
        0.01,
        1,
    ),
    Assumption(
        "bookings_high",
        "Jail bookings avoided per participant-year, strong end",
        1.4,
        "bookings",
        SOURCE_2019,
        0,
        20,
    ),
    Assumption(
        "bookings_low", "Jail bookings avoided per participant-year, weak end", 0.7, "bookings", HALF, 0, 20
    ),
    Assumption(
        "jail_days_high",
        "Jail days avoided per participant-year, strong end",
        41,
        "days",
        SOURCE_2019,
        0,
        365,
    ),
    Assumption(
        "jail_days_low",
        "Jail days avoided per participant-year, weak end",
        19.5,
        "days",
        HALF + " (of 39)",
        0,
        365,
    ),
)
NAMES = tuple(a.name for a in DEFAULTS)
RANGES = (
    ("rearrest_or_high", "rearrest_or_low"),
    ("bookings_low", "bookings_high"),
    ("jail_days_low", "jail_days_high"),
)


class AssumptionError(ValueError):
    """Assumptions that cannot be used; `messages` names each field."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def assumptions(given: dict | None = None) -> dict[str, Assumption]:
    """The defaults with `given` values (strings or numbers) in their place; raises AssumptionError."""
    given = {k: v for k, v in (given or {}).items() if v not in ("", None)}
    out, problems = {}, []
    for name in given:
        if name not in NAMES:
            problems.append(ERR_UNKNOWN.format(name=name, names=", ".join(NAMES)))
    for default in DEFAULTS:
        value = given.get(default.name, default.value)
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(ERR_NUMBER.format(name=default.name, value=value))
            continue
        if not (default.low <= number <= default.high) or math.isnan(number):
            problems.append(ERR_RANGE.format(name=default.name, low=default.low, high=default.high))
            continue
        source = default.source if number == default.value else "entered for this plan"
        out[default.name] = replace(default, value=number, source=source)
    for weak, strong in RANGES:
        if weak in out and strong in out and out[weak].value > out[strong].value:
            problems.append(ERR_ORDER.format(name=weak.rsplit("_", 1)[0]))
    if problems:
        raise AssumptionError(problems)
    return out


@dataclass(frozen=True)
class Span:
    """A range of expected values: low and high, never one number."""

    low: float
    high: float


@dataclass(frozen=True)
class Plan:
    eligible_arrests: float  # a year
    eligible_people: float | None  # a year
    referrals: float  # accepted offers a year
    new_participants: float  # a year
    participants: float  # at any one time, at steady state
    case_managers: int
    caseload: float  # participants per case manager with that many
    supervisors: int
    cost: float  # a year
    cost_per_participant: float  # a participant-year
    rearrests_avoided: Span  # people a year
    bookings_avoided: Span  # a year
    jail_days_avoided: Span  # a year


def risk_under(odds_ratio: float, baseline: float) -> float:
    """The probability of the event when the baseline's odds are multiplied by the odds ratio."""
    if baseline >= 1:
        return 1.0
    odds = odds_ratio * baseline / (1 - baseline)
    return odds / (1 + odds)


def plan(*, eligible_arrests: float, eligible_people: float | None, given: dict[str, Assumption]) -> Plan:
    """The plan for a year at steady state. People figures fall back to arrests when unknown."""
    a = {name: given[name].value for name in NAMES}
    take = a["offer_rate"] * a["acceptance_rate"]
    referrals = eligible_arrests * take
    new = (eligible_people if eligible_people is not None else eligible_arrests) * take
    participants = new * a["months_in_program"] / 12
    case_managers = math.ceil(participants / a["caseload"]) if participants else 0
    supervisors = math.ceil(case_managers / a["case_managers_per_supervisor"]) if case_managers else 0
    cost = (
        case_managers * a["case_manager_cost"]
        + supervisors * a["supervisor_cost"]
        + a["project_manager_cost"]
        + participants * a["services_cost"]
    ) * (1 + a["overhead_rate"])
    base = a["baseline_rearrest"]

    def avoided(odds_ratio: float) -> float:
        return new * (base - risk_under(odds_ratio, base))

    return Plan(
        eligible_arrests=eligible_arrests,
        eligible_people=eligible_people,
        referrals=referrals,
        new_participants=new,
        participants=participants,
        case_managers=case_managers,
        caseload=participants / case_managers if case_managers else 0.0,
        supervisors=supervisors,
        cost=cost,
        cost_per_participant=cost / participants if participants else 0.0,
        rearrests_avoided=Span(avoided(a["rearrest_or_low"]), avoided(a["rearrest_or_high"])),
        bookings_avoided=Span(participants * a["bookings_low"], participants * a["bookings_high"]),
        jail_days_avoided=Span(participants * a["jail_days_low"], participants * a["jail_days_high"]),
    )


OFFER_GRID = (0.25, 0.5, 0.75)
ACCEPT_GRID = (0.5, 0.7, 0.9)


def referral_grid(eligible_arrests: float) -> list[tuple[float, list[float]]]:
    """Referrals a year at each offer rate (rows) and acceptance rate (columns)."""
    return [(offer, [eligible_arrests * offer * accept for accept in ACCEPT_GRID]) for offer in OFFER_GRID]
