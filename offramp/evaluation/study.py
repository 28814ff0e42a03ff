"""A study definition (what to compare, how, and over which windows), parsed from TOML.

Every validation problem is collected before raising, so a site fixing its file
sees all of them at once, each as ``field.path: message``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVENT_KINDS = ("arrest", "booking", "charge_felony", "charge_misdemeanor", "jail_stay", "prison")
# Kinds whose events carry a length of stay in the ``days`` column.
STAY_KINDS = ("jail_stay", "prison")
MEASURES = ("any", "count", "days", "time_to_first")
ARM_ROLES = ("intervention", "comparison")
INDEX_RULES = ("referral_date", "first_eligible_arrest", "column")
MATCH_METHODS = ("nearest", "ipw")
ESTIMANDS = ("att", "ate")
UNIT_COST_KEYS = (
    "booking",
    "jail_day",
    "prison_day",
    "prosecution",
    "defence",
    "court_hearing",
    "program_participant_month",
)
# prior_arrest_12m (a count) or any_prior_charge_felony_24m (0/1); jail_stay/prison count days.
DERIVED_COVARIATE = re.compile(r"^(any_)?prior_(" + "|".join(EVENT_KINDS) + r")_(\d+)m$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

ERR_REQUIRED = "is required"
ERR_UNKNOWN_KEY = "unknown key"
ERR_TYPE = "must be {expected}, got {got!r}"
ERR_CHOICE = "must be one of {choices}, got {got!r}"
ERR_POSITIVE = "must be a positive number, got {got!r}"
ERR_NOT_NEGATIVE = "must be zero or more, got {got!r}"
ERR_DUPLICATE = "duplicate name {name!r}"
ERR_ONE_COMPARISON = "exactly one arm must have role 'comparison' (found {n})"
ERR_NO_INTERVENTION = "at least one arm must have role 'intervention'"
ERR_UNKNOWN_OUTCOME = "names no outcome defined in [[outcomes]]: {name!r}"
ERR_MEASURE_EVENT = "measure 'days' needs a stay event ({kinds}), got {event!r}"
ERR_MONTHS_NEEDED = "is required for measure {measure!r}"
ERR_DATES_ORDER = "must be after covariates.data_start"
ERR_COVARIATE_NAME = (
    "must be a people-table column name (lowercase) or prior_<kind>_<N>m / any_prior_<kind>_<N>m "
    "with kind in " + ", ".join(EVENT_KINDS)
)
ERR_SUBGROUP = "must be 'age_group' or a categorical covariate, got {got!r}"
ERR_INCREASING = "must be strictly increasing"


class StudyError(ValueError):
    """Raised with every problem found; ``errors`` is a list of (path, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("invalid study definition:\n" + "\n".join(f"  {p}: {m}" for p, m in errors))


@dataclass(frozen=True)
class Arm:
    name: str
    label: str
    role: str
    # How a sentence refers to the group: "people in LEAD", "similar people who were booked as usual".
    describe: str


@dataclass(frozen=True)
class IndexRule:
    rule: str
    column: str
    description: str


@dataclass(frozen=True)
class Covariates:
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    data_start: dt.date | None

    @property
    def all(self) -> tuple[str, ...]:
        return self.numeric + self.categorical

    @property
    def derived(self) -> tuple[str, ...]:
        return tuple(c for c in self.numeric if DERIVED_COVARIATE.match(c))


@dataclass(frozen=True)
class Outcome:
    name: str
    event: str
    measure: str
    months: int | None
    label: str


@dataclass(frozen=True)
class FollowUp:
    data_end: dt.date | None
    person_end_column: str | None


@dataclass(frozen=True)
class Matching:
    method: str = "nearest"
    ratio: int = 1
    caliper_sd: float | None = 0.2
    replacement: bool = False
    estimand: str = "att"
    stabilize: bool = False
    variance_neighbours: int = 2


@dataclass(frozen=True)
class Costs:
    window_months: int = 12
    currency: str = "USD"
    price_year: int | None = None
    unit: dict[str, float] = field(default_factory=lambda: dict.fromkeys(UNIT_COST_KEYS, 0.0))
    hearings_per_felony_charge: float = 1.0
    hearings_per_misdemeanor_charge: float = 1.0
    program_months_column: str | None = None


@dataclass(frozen=True)
class Analysis:
    primary_outcome: str
    outcome_covariates: tuple[str, ...] = ()
    subgroups: tuple[str, ...] = ()
    age_groups: tuple[int, ...] = (18, 26, 36, 50)
    min_subgroup_treated: int = 20
    confidence: float = 0.95


@dataclass(frozen=True)
class Study:
    name: str
    description: str
    arms: tuple[Arm, ...]
    index: IndexRule
    covariates: Covariates
    outcomes: tuple[Outcome, ...]
    follow_up: FollowUp
    matching: Matching
    costs: Costs
    analysis: Analysis

    @property
    def comparison(self) -> Arm:
        return next(a for a in self.arms if a.role == "comparison")

    @property
    def interventions(self) -> tuple[Arm, ...]:
        return tuple(a for a in self.arms if a.role == "intervention")

    def outcome(self, name: str) -> Outcome:
        return next(o for o in self.outcomes if o.name == name)


def study_load(*, path: str | Path) -> Study:
    return study_from_toml(text=Path(path).read_text(encoding="utf-8"))


def study_from_toml(*, text: str) -> Study:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StudyError([("(file)", f"not valid TOML: {exc}")]) from exc
    return study_from_dict(data=data)


class _Reader:
    """Reads typed values out of nested dicts and records problems instead of raising."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def table(self, parent: dict, key: str, path: str, *, required: bool = False) -> dict:
        value = parent.get(key)
        if value is None:
            if required:
                self.error(path, ERR_REQUIRED)
            return {}
        if not isinstance(value, dict):
            self.error(path, ERR_TYPE.format(expected="a table", got=value))
            return {}
        return value

    def known(self, table: dict, path: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.error(f"{path}.{key}" if path else key, ERR_UNKNOWN_KEY + extra)

    def get(
        self,
        table: dict,
        key: str,
        path: str,
        kind: type | tuple,
        default: Any = None,
        *,
        required: bool = False,
        expected: str = "",
    ) -> Any:
        full = f"{path}.{key}" if path else key
        if key not in table:
            if required:
                self.error(full, ERR_REQUIRED)
            return default
        value = table[key]
        # bool is an int in Python; a count given as `true` is a mistake, not 1.
        if (
            isinstance(value, bool)
            and kind is not bool
            and bool not in (kind if isinstance(kind, tuple) else ())
        ):
            self.error(full, ERR_TYPE.format(expected=expected or _kind_name(kind), got=value))
            return default
        if not isinstance(value, kind):
            self.error(full, ERR_TYPE.format(expected=expected or _kind_name(kind), got=value))
            return default
        return value

    def choice(
        self,
        table: dict,
        key: str,
        path: str,
        choices: tuple[str, ...],
        default: str | None = None,
        *,
        required: bool = False,
    ) -> str | None:
        value = self.get(table, key, path, str, default, required=required)
        if value is not None and value not in choices:
            self.error(f"{path}.{key}", ERR_CHOICE.format(choices=", ".join(choices), got=value))
            return default
        return value

    def names(self, table: dict, key: str, path: str) -> tuple[str, ...]:
        value = self.get(table, key, path, list, [], expected="a list of names")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not NAME.match(item):
                self.error(f"{path}.{key}[{i}]", ERR_TYPE.format(expected="a lowercase name", got=item))
            else:
                out.append(item)
        return tuple(out)


def _kind_name(kind: type | tuple) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        dt.date: "a date (YYYY-MM-DD)",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def study_from_dict(*, data: dict) -> Study:
    r = _Reader()
    r.known(
        data,
        "",
        ("study", "arms", "index", "covariates", "outcomes", "follow_up", "matching", "costs", "analysis"),
    )

    head = r.table(data, "study", "study", required=True)
    r.known(head, "study", ("name", "description"))
    name = r.get(head, "name", "study", str, "", required=True)
    description = r.get(head, "description", "study", str, "")

    arms = _parse_arms(r, data)
    index = _parse_index(r, data)
    covariates = _parse_covariates(r, data)
    outcomes = _parse_outcomes(r, data)
    follow_up = _parse_follow_up(r, data, covariates)
    matching = _parse_matching(r, data)
    costs = _parse_costs(r, data)
    analysis = _parse_analysis(r, data, outcomes, covariates)

    if r.errors:
        raise StudyError(r.errors)
    return Study(
        name=name,
        description=description,
        arms=arms,
        index=index,
        covariates=covariates,
        outcomes=outcomes,
        follow_up=follow_up,
        matching=matching,
        costs=costs,
        analysis=analysis,
    )


def _parse_arms(r: _Reader, data: dict) -> tuple[Arm, ...]:
    raw = r.get(data, "arms", "", list, [], required=True, expected="a list of [[arms]] tables")
    arms, seen = [], set()
    for i, item in enumerate(raw):
        path = f"arms[{i}]"
        if not isinstance(item, dict):
            r.error(path, ERR_TYPE.format(expected="a table", got=item))
            continue
        r.known(item, path, ("name", "label", "role", "describe"))
        arm_name = r.get(item, "name", path, str, "", required=True)
        if arm_name and arm_name in seen:
            r.error(f"{path}.name", ERR_DUPLICATE.format(name=arm_name))
        seen.add(arm_name)
        label = r.get(item, "label", path, str, arm_name)
        role = r.choice(item, "role", path, ARM_ROLES, required=True)
        describe = r.get(item, "describe", path, str, f"people in {label}")
        arms.append(Arm(name=arm_name, label=label, role=role or "", describe=describe))
    if raw:
        n_comp = sum(a.role == "comparison" for a in arms)
        if n_comp != 1:
            r.error("arms", ERR_ONE_COMPARISON.format(n=n_comp))
        if not any(a.role == "intervention" for a in arms):
            r.error("arms", ERR_NO_INTERVENTION)
    return tuple(arms)


def _parse_index(r: _Reader, data: dict) -> IndexRule:
    t = r.table(data, "index", "index")
    r.known(t, "index", ("rule", "column", "description"))
    return IndexRule(
        rule=r.choice(t, "rule", "index", INDEX_RULES, "column") or "column",
        column=r.get(t, "column", "index", str, "index_date"),
        description=r.get(t, "description", "index", str, ""),
    )


def _parse_covariates(r: _Reader, data: dict) -> Covariates:
    t = r.table(data, "covariates", "covariates", required=True)
    r.known(t, "covariates", ("numeric", "categorical", "data_start"))
    numeric = r.names(t, "numeric", "covariates")
    categorical = r.names(t, "categorical", "covariates")
    for i, c in enumerate(numeric):
        if c.startswith(("prior_", "any_prior_")) and not DERIVED_COVARIATE.match(c):
            r.error(f"covariates.numeric[{i}]", ERR_COVARIATE_NAME)
    for i, c in enumerate(categorical):
        if DERIVED_COVARIATE.match(c):
            r.error(f"covariates.categorical[{i}]", "a derived prior_* covariate is numeric, not categorical")
    for c in sorted(set(numeric) & set(categorical)):
        r.error("covariates", ERR_DUPLICATE.format(name=c))
    if not numeric and not categorical and t:
        r.error("covariates", "list at least one covariate")
    data_start = r.get(t, "data_start", "covariates", dt.date, None)
    return Covariates(numeric=numeric, categorical=categorical, data_start=data_start)


def _parse_outcomes(r: _Reader, data: dict) -> tuple[Outcome, ...]:
    raw = r.get(data, "outcomes", "", list, [], required=True, expected="a list of [[outcomes]] tables")
    outs, seen = [], set()
    for i, item in enumerate(raw):
        path = f"outcomes[{i}]"
        if not isinstance(item, dict):
            r.error(path, ERR_TYPE.format(expected="a table", got=item))
            continue
        r.known(item, path, ("name", "event", "measure", "months", "label"))
        oname = r.get(item, "name", path, str, "", required=True)
        if oname and not NAME.match(oname):
            r.error(f"{path}.name", ERR_TYPE.format(expected="a lowercase name", got=oname))
        if oname in seen:
            r.error(f"{path}.name", ERR_DUPLICATE.format(name=oname))
        seen.add(oname)
        event = r.choice(item, "event", path, EVENT_KINDS, required=True)
        measure = r.choice(item, "measure", path, MEASURES, required=True)
        months = r.get(item, "months", path, int, None)
        if months is not None and months <= 0:
            r.error(f"{path}.months", ERR_POSITIVE.format(got=months))
        if measure in ("any", "count", "days") and months is None and "months" not in item:
            r.error(f"{path}.months", ERR_MONTHS_NEEDED.format(measure=measure))
        if measure == "days" and event and event not in STAY_KINDS:
            r.error(f"{path}.measure", ERR_MEASURE_EVENT.format(kinds=", ".join(STAY_KINDS), event=event))
        label = r.get(item, "label", path, str, oname.replace("_", " "))
        outs.append(Outcome(name=oname, event=event or "", measure=measure or "", months=months, label=label))
    return tuple(outs)


def _parse_follow_up(r: _Reader, data: dict, covariates: Covariates) -> FollowUp:
    t = r.table(data, "follow_up", "follow_up")
    r.known(t, "follow_up", ("data_end", "person_end_column"))
    data_end = r.get(t, "data_end", "follow_up", dt.date, None)
    if data_end and covariates.data_start and data_end <= covariates.data_start:
        r.error("follow_up.data_end", ERR_DATES_ORDER)
    return FollowUp(
        data_end=data_end, person_end_column=r.get(t, "person_end_column", "follow_up", str, None)
    )


def _parse_matching(r: _Reader, data: dict) -> Matching:
    t = r.table(data, "matching", "matching")
    p = "matching"
    r.known(
        t, p, ("method", "ratio", "caliper_sd", "replacement", "estimand", "stabilize", "variance_neighbours")
    )
    ratio = r.get(t, "ratio", p, int, 1)
    if ratio < 1:
        r.error(f"{p}.ratio", ERR_POSITIVE.format(got=ratio))
    # caliper_sd = false switches the caliper off; a number is a width in SDs of the pooled logit.
    caliper = t.get("caliper_sd", 0.2)
    if caliper is False:
        caliper = None
    elif isinstance(caliper, bool) or not isinstance(caliper, int | float) or caliper <= 0:
        r.error(
            f"{p}.caliper_sd",
            f"must be a positive number of standard deviations, or false for no caliper, got {caliper!r}",
        )
        caliper = 0.2
    neighbours = r.get(t, "variance_neighbours", p, int, 2)
    if neighbours < 1:
        r.error(f"{p}.variance_neighbours", ERR_POSITIVE.format(got=neighbours))
    method = r.choice(t, "method", p, MATCH_METHODS, "nearest") or "nearest"
    estimand = r.choice(t, "estimand", p, ESTIMANDS, "att") or "att"
    if method == "nearest" and estimand != "att":
        r.error(f"{p}.estimand", "nearest-neighbour matching here estimates the ATT only; use method = 'ipw'")
    return Matching(
        method=method,
        ratio=max(ratio, 1),
        caliper_sd=None if caliper is None else float(caliper),
        replacement=r.get(t, "replacement", p, bool, False),
        estimand=estimand,
        stabilize=r.get(t, "stabilize", p, bool, False),
        variance_neighbours=max(neighbours, 1),
    )


def _parse_costs(r: _Reader, data: dict) -> Costs:
    t = r.table(data, "costs", "costs")
    p = "costs"
    r.known(
        t,
        p,
        (
            "window_months",
            "currency",
            "price_year",
            "unit",
            "hearings_per_felony_charge",
            "hearings_per_misdemeanor_charge",
            "program_months_column",
        ),
    )
    unit_t = r.table(t, "unit", f"{p}.unit")
    r.known(unit_t, f"{p}.unit", UNIT_COST_KEYS)
    unit = {}
    for key in UNIT_COST_KEYS:
        value = r.get(unit_t, key, f"{p}.unit", (int, float), 0.0)
        if value < 0:
            r.error(f"{p}.unit.{key}", ERR_NOT_NEGATIVE.format(got=value))
        unit[key] = float(value)
    window = r.get(t, "window_months", p, int, 12)
    if window <= 0:
        r.error(f"{p}.window_months", ERR_POSITIVE.format(got=window))
    hearings = {}
    for key in ("hearings_per_felony_charge", "hearings_per_misdemeanor_charge"):
        value = r.get(t, key, p, (int, float), 1.0)
        if value < 0:
            r.error(f"{p}.{key}", ERR_NOT_NEGATIVE.format(got=value))
        hearings[key] = float(value)
    return Costs(
        window_months=window,
        currency=r.get(t, "currency", p, str, "USD"),
        price_year=r.get(t, "price_year", p, int, None),
        unit=unit,
        program_months_column=r.get(t, "program_months_column", p, str, None),
        **hearings,
    )


def _parse_analysis(
    r: _Reader, data: dict, outcomes: tuple[Outcome, ...], covariates: Covariates
) -> Analysis:
    t = r.table(data, "analysis", "analysis", required=True)
    p = "analysis"
    r.known(
        t,
        p,
        (
            "primary_outcome",
            "outcome_covariates",
            "subgroups",
            "age_groups",
            "min_subgroup_treated",
            "confidence",
        ),
    )
    names = {o.name for o in outcomes}
    primary = r.get(t, "primary_outcome", p, str, "", required=True)
    if primary and outcomes and primary not in names:
        r.error(f"{p}.primary_outcome", ERR_UNKNOWN_OUTCOME.format(name=primary))
    elif primary and primary in names:
        measure = next(o.measure for o in outcomes if o.name == primary)
        if measure != "any":
            r.error(f"{p}.primary_outcome", f"must be an outcome with measure 'any', got measure {measure!r}")
    outcome_covs = r.names(t, "outcome_covariates", p)
    for i, c in enumerate(outcome_covs):
        if c not in covariates.all:
            r.error(f"{p}.outcome_covariates[{i}]", f"must be one of the study covariates, got {c!r}")
    subgroups = r.names(t, "subgroups", p)
    for i, s in enumerate(subgroups):
        if s != "age_group" and s not in covariates.categorical:
            r.error(f"{p}.subgroups[{i}]", ERR_SUBGROUP.format(got=s))
    ages = r.get(t, "age_groups", p, list, [18, 26, 36, 50])
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in ages) or not ages:
        r.error(f"{p}.age_groups", ERR_TYPE.format(expected="a list of whole-number ages", got=ages))
        ages = [18, 26, 36, 50]
    elif any(b <= a for a, b in zip(ages, ages[1:], strict=False)):
        r.error(f"{p}.age_groups", ERR_INCREASING)
    if "age_group" in subgroups and "age" not in covariates.numeric:
        r.error(f"{p}.subgroups", "age_group needs 'age' among covariates.numeric")
    min_treated = r.get(t, "min_subgroup_treated", p, int, 20)
    confidence = r.get(t, "confidence", p, float, 0.95)
    if not 0.5 < confidence < 1:
        r.error(f"{p}.confidence", f"must be between 0.5 and 1, got {confidence!r}")
    return Analysis(
        primary_outcome=primary,
        outcome_covariates=outcome_covs,
        subgroups=subgroups,
        age_groups=tuple(ages),
        min_subgroup_treated=min_treated,
        confidence=confidence,
    )
