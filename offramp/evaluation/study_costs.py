"""The ``[costs]`` table of a study, read through the shared document reader, and the bounds every
number of a study file is held to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from offramp.evaluation.study_values import Reader
from offramp.files import InvalidFile
from offramp.files.validating import Number, Text, Whole, closed, rule, validated

UNIT_COST_KEYS = (
    "booking",
    "jail_day",
    "prison_day",
    "prosecution",
    "defence",
    "court_hearing",
    "program_participant_month",
)
ERR_POSITIVE = "must be a positive number, got {got!r}"
ERR_NOT_NEGATIVE = "must be zero or more, got {got!r}"
ERR_AT_MOST = "must be at most {most:,}{why}, got {got!r}"
# Bounds on what a study can ask for: beyond them a value is a typing slip (months = 99999999999),
# and calendar arithmetic on it would overflow rather than say so.
MAX_MONTHS = 600  # windows and look-backs: 50 years
MAX_RATIO = 100  # controls per treated person
MAX_NEIGHBOURS = 100
MAX_CALIPER_SD = 10.0
MAX_AGE = 130
MAX_MIN_TREATED = 1_000_000
MAX_UNIT_COST = 1e9  # per booking, day, charge or month, in the study's currency
MAX_HEARINGS = 1000.0
YEARS = (1900, 2100)  # price years


@dataclass(frozen=True)
class Costs:
    window_months: int = 12
    currency: str = "USD"
    price_year: int | None = None
    unit: dict[str, float] = field(default_factory=lambda: dict.fromkeys(UNIT_COST_KEYS, 0.0))
    hearings_per_felony_charge: float = 1.0
    hearings_per_misdemeanor_charge: float = 1.0
    program_months_column: str | None = None


def _between(low: float, high: float, why: str = "") -> Any:
    def check(value: float) -> str | None:
        if value < low:
            return ERR_NOT_NEGATIVE.format(got=value) if low == 0 else ERR_POSITIVE.format(got=value)
        return too_big(high, value, why) if value > high else None

    return rule(check)


Amount = Annotated[Number, _between(0, MAX_UNIT_COST)]
Hearings = Annotated[Number, _between(0, MAX_HEARINGS, " per charge")]


@closed
@dataclass(frozen=True, kw_only=True)
class _UnitCosts:
    booking: Amount = 0.0
    jail_day: Amount = 0.0
    prison_day: Amount = 0.0
    prosecution: Amount = 0.0
    defence: Amount = 0.0
    court_hearing: Amount = 0.0
    program_participant_month: Amount = 0.0


@closed
@dataclass(frozen=True, kw_only=True)
class _CostsTable:
    """``[costs]`` as written, checked by the shared reader (``offramp.files.validating``)."""

    window_months: Annotated[Whole, _between(1, MAX_MONTHS, " (50 years)")] = 12
    currency: Text = "USD"
    price_year: Annotated[Whole, rule(_plausible_year)] | None = None
    unit: _UnitCosts = field(default_factory=_UnitCosts)
    hearings_per_felony_charge: Hearings = 1.0
    hearings_per_misdemeanor_charge: Hearings = 1.0
    program_months_column: Text | None = None


def _plausible_year(year: int) -> str | None:
    return (
        None if YEARS[0] <= year <= YEARS[1] else f"must be a year from {YEARS[0]} to {YEARS[1]}, got {year}"
    )


def parse_costs(r: Reader, data: dict[str, Any]) -> Costs:
    t = r.table(data, "costs", "costs")
    try:
        c = validated(_CostsTable, t)
    except InvalidFile as exc:
        for problem in exc.problems:
            r.error(f"costs.{problem.where}" if problem.where else "costs", problem.message)
        return Costs()
    return Costs(
        window_months=c.window_months,
        currency=c.currency,
        price_year=c.price_year,
        unit={key: float(getattr(c.unit, key)) for key in UNIT_COST_KEYS},
        hearings_per_felony_charge=float(c.hearings_per_felony_charge),
        hearings_per_misdemeanor_charge=float(c.hearings_per_misdemeanor_charge),
        program_months_column=c.program_months_column,
    )


def too_big(most: float, got: object, why: str = "") -> str:
    return ERR_AT_MOST.format(most=most, why=why, got=got)
