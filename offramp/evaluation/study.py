"""A study definition (what to compare, how, and over which windows), parsed from TOML.

Every validation problem is collected before raising, so a site fixing its file
sees all of them at once, each as ``field.path: message``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offramp.evaluation.study_costs import (
    ERR_POSITIVE,
    MAX_AGE,
    MAX_CALIPER_SD,
    MAX_MIN_TREATED,
    MAX_MONTHS,
    MAX_NEIGHBOURS,
    MAX_RATIO,
    Costs,
    parse_costs,
    too_big,
)
from offramp.evaluation.study_values import ERR_TYPE, NAME, Reader
from offramp.files import InvalidFile, Problem, load_toml

STUDY_FILE = "study.toml"

EVENT_KINDS = ("arrest", "booking", "charge_felony", "charge_misdemeanor", "jail_stay", "prison")
# Kinds the legal-system records also carry that are not outcomes: a warrant issued or cleared, a court
# case filed or disposed. Legal coordination shows what is open; a study never counts them.
PENDING_KINDS = ("warrant_issued", "warrant_cleared", "case_filed", "case_disposed")
RECORD_KINDS = EVENT_KINDS + PENDING_KINDS  # what the records import and the API accept
# Kinds whose events carry a length of stay in the ``days`` column.
STAY_KINDS = ("jail_stay", "prison")
MEASURES = ("any", "count", "days", "time_to_first", "mean")
ARM_ROLES = ("intervention", "comparison")
INDEX_RULES = ("referral_date", "first_eligible_arrest", "column")
MATCH_METHODS = ("nearest", "ipw")
ESTIMANDS = ("att", "ate")
# prior_arrest_12m (a count) or any_prior_charge_felony_24m (0/1); jail_stay/prison count days.
DERIVED_COVARIATE = re.compile(r"^(any_)?prior_(" + "|".join(EVENT_KINDS) + r")_(\d+)m$")

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


class StudyError(InvalidFile):
    """Every problem of a study file at once, in the shared shape (``offramp.files``): ``problems``
    and ``messages`` (``study.toml, outcomes[1].months: ...``); ``errors`` keeps (path, message)."""

    def __init__(self, errors: list[tuple[str, str]], *, file: str = STUDY_FILE):
        self.errors = errors
        super().__init__(Problem(message, file=file, where=path) for path, message in errors)


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
    # measure "mean": a continuous outcome read from this people-table column (days housed, earnings)
    column: str | None = None


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
    # With two or more intervention arms and estimand "att": the arm whose people are the target.
    target_arm: str | None = None


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
    # Human labels for covariates ("prior_arrest_6m") and their levels ("race_ethnicity=Asian").
    labels: dict[str, str] = field(default_factory=dict[str, Any])

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


def study_from_toml(*, text: str, file: str = STUDY_FILE) -> Study:
    """The study in a TOML document, read by the shared document loader (size, depth, numbers that
    overflow, implausible dates and syntax are its problems) and then checked field by field."""
    try:
        data = load_toml(text, file=file)
    except InvalidFile as exc:
        raise StudyError([(str(p.where), p.message) for p in exc.problems], file=file) from None
    return study_from_dict(data=data)


def study_from_dict(*, data: dict[str, Any]) -> Study:
    r = Reader()
    r.known(
        data,
        "",
        (
            "study",
            "arms",
            "index",
            "covariates",
            "outcomes",
            "follow_up",
            "matching",
            "costs",
            "analysis",
            "labels",
        ),
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
    costs = parse_costs(r, data)
    analysis = _parse_analysis(r, data, outcomes, covariates)
    labels = _parse_labels(r, data)
    if matching.target_arm is not None and matching.target_arm not in {a.name for a in arms}:
        r.error("matching.target_arm", f"names no arm defined in [[arms]]: {matching.target_arm!r}")

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
        labels=labels,
    )


def _parse_labels(r: Reader, data: dict[str, Any]) -> dict[str, str]:
    t = r.table(data, "labels", "labels")
    out = {}
    for key, value in t.items():
        if not isinstance(value, str) or not value.strip():
            r.error(f"labels.{key}", ERR_TYPE.format(expected="a label (text)", got=value))
        else:
            out[str(key)] = value
    return out


def _parse_arms(r: Reader, data: dict[str, Any]) -> tuple[Arm, ...]:
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


def _parse_index(r: Reader, data: dict[str, Any]) -> IndexRule:
    t = r.table(data, "index", "index")
    r.known(t, "index", ("rule", "column", "description"))
    return IndexRule(
        rule=r.choice(t, "rule", "index", INDEX_RULES, "column") or "column",
        column=r.get(t, "column", "index", str, "index_date"),
        description=r.get(t, "description", "index", str, ""),
    )


def _parse_covariates(r: Reader, data: dict[str, Any]) -> Covariates:
    t = r.table(data, "covariates", "covariates", required=True)
    r.known(t, "covariates", ("numeric", "categorical", "data_start"))
    names = r.names(t, "numeric", "covariates")
    categorical = r.names(t, "categorical", "covariates")
    numeric: list[str] = []
    for i, c in enumerate(names):
        derived = DERIVED_COVARIATE.match(c)
        if derived is None or 0 < int(derived.group(3)) <= MAX_MONTHS:
            numeric.append(c)
        if c.startswith(("prior_", "any_prior_")) and not derived:
            r.error(f"covariates.numeric[{i}]", ERR_COVARIATE_NAME)
        elif derived and not 0 < int(derived.group(3)) <= MAX_MONTHS:
            months = int(derived.group(3))
            r.error(
                f"covariates.numeric[{i}]",
                ERR_POSITIVE.format(got=months) if not months else too_big(MAX_MONTHS, months, " months"),
            )
    for i, c in enumerate(categorical):
        if DERIVED_COVARIATE.match(c):
            r.error(f"covariates.categorical[{i}]", "a derived prior_* covariate is numeric, not categorical")
    for c in sorted(set(numeric) & set(categorical)):
        r.error("covariates", ERR_DUPLICATE.format(name=c))
    if not names and not categorical and t:
        r.error("covariates", "list at least one covariate")
    data_start = r.get(t, "data_start", "covariates", dt.date, None)
    return Covariates(numeric=tuple(numeric), categorical=categorical, data_start=data_start)


def _parse_outcomes(r: Reader, data: dict[str, Any]) -> tuple[Outcome, ...]:
    raw = r.get(data, "outcomes", "", list, [], required=True, expected="a list of [[outcomes]] tables")
    outs, seen = [], set()
    for i, item in enumerate(raw):
        path = f"outcomes[{i}]"
        if not isinstance(item, dict):
            r.error(path, ERR_TYPE.format(expected="a table", got=item))
            continue
        r.known(item, path, ("name", "event", "measure", "months", "label", "column"))
        oname = r.get(item, "name", path, str, "", required=True)
        if oname and not NAME.match(oname):
            r.error(f"{path}.name", ERR_TYPE.format(expected="a lowercase name", got=oname))
        if oname in seen:
            r.error(f"{path}.name", ERR_DUPLICATE.format(name=oname))
        seen.add(oname)
        measure = r.choice(item, "measure", path, MEASURES, required=True)
        event = r.choice(item, "event", path, EVENT_KINDS, required=measure != "mean")
        col = r.get(item, "column", path, str, None)
        if measure == "mean" and not col:
            r.error(f"{path}.column", "is required for measure 'mean' (the people-table column to compare)")
        months = r.get(item, "months", path, int, None)
        if months is not None and months <= 0:
            r.error(f"{path}.months", ERR_POSITIVE.format(got=months))
        elif months is not None and months > MAX_MONTHS:
            r.error(f"{path}.months", too_big(MAX_MONTHS, months, " (50 years)"))
            months = None
        if measure in ("any", "count", "days") and months is None and "months" not in item:
            r.error(f"{path}.months", ERR_MONTHS_NEEDED.format(measure=measure))
        if measure == "days" and event and event not in STAY_KINDS:
            r.error(f"{path}.measure", ERR_MEASURE_EVENT.format(kinds=", ".join(STAY_KINDS), event=event))
        label = r.get(item, "label", path, str, oname.replace("_", " "))
        outs.append(
            Outcome(
                name=oname, event=event or "", measure=measure or "", months=months, label=label, column=col
            )
        )
    return tuple(outs)


def _parse_follow_up(r: Reader, data: dict[str, Any], covariates: Covariates) -> FollowUp:
    t = r.table(data, "follow_up", "follow_up")
    r.known(t, "follow_up", ("data_end", "person_end_column"))
    data_end = r.get(t, "data_end", "follow_up", dt.date, None)
    if data_end and covariates.data_start and data_end <= covariates.data_start:
        r.error("follow_up.data_end", ERR_DATES_ORDER)
    return FollowUp(
        data_end=data_end, person_end_column=r.get(t, "person_end_column", "follow_up", str, None)
    )


def _parse_matching(r: Reader, data: dict[str, Any]) -> Matching:
    t = r.table(data, "matching", "matching")
    p = "matching"
    r.known(
        t,
        p,
        (
            "method",
            "ratio",
            "caliper_sd",
            "replacement",
            "estimand",
            "stabilize",
            "variance_neighbours",
            "target_arm",
        ),
    )
    ratio = r.get(t, "ratio", p, int, 1)
    if ratio < 1:
        r.error(f"{p}.ratio", ERR_POSITIVE.format(got=ratio))
    elif ratio > MAX_RATIO:
        r.error(f"{p}.ratio", too_big(MAX_RATIO, ratio, " controls per person"))
        ratio = 1
    # caliper_sd = false switches the caliper off; a number is a width in SDs of the pooled logit.
    caliper = t.get("caliper_sd", 0.2)
    if caliper is False:
        caliper = None
    elif (
        isinstance(caliper, bool) or not isinstance(caliper, int | float) or not 0 < caliper <= MAX_CALIPER_SD
    ):
        r.error(
            f"{p}.caliper_sd",
            f"must be a positive number of standard deviations (at most {MAX_CALIPER_SD:g}), or false for "
            f"no caliper, got {caliper!r}",
        )
        caliper = 0.2
    neighbours = r.get(t, "variance_neighbours", p, int, 2)
    if neighbours < 1:
        r.error(f"{p}.variance_neighbours", ERR_POSITIVE.format(got=neighbours))
    elif neighbours > MAX_NEIGHBOURS:
        r.error(f"{p}.variance_neighbours", too_big(MAX_NEIGHBOURS, neighbours))
        neighbours = 2
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
        target_arm=r.get(t, "target_arm", p, str, None),
    )


def _parse_analysis(
    r: Reader, data: dict[str, Any], outcomes: tuple[Outcome, ...], covariates: Covariates
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
    elif not all(0 < a <= MAX_AGE for a in ages):
        r.error(f"{p}.age_groups", f"must be ages from 1 to {MAX_AGE}, got {ages!r}")
    if "age_group" in subgroups and "age" not in covariates.numeric:
        r.error(f"{p}.subgroups", "age_group needs 'age' among covariates.numeric")
    min_treated = r.get(t, "min_subgroup_treated", p, int, 20)
    if not 0 <= min_treated <= MAX_MIN_TREATED:
        r.error(f"{p}.min_subgroup_treated", f"must be from 0 to {MAX_MIN_TREATED:,}, got {min_treated!r}")
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
