"""A program's eligibility protocol as versioned data: parse, validate, serialise.

Pure Python, no Django: a protocol is a frozen dataclass tree that reads from and writes to
readable TOML (or YAML). The file is loaded safely (`offramp.files.documents`), its shape, types
and single values checked by pydantic against the annotated dataclasses (known NIBRS codes,
choices, ranges), then `_cross_problems` checks the rules between values (unique ids, references).
Every error names the field path, e.g. "offences[2].nibrs: unknown NIBRS code '99Z'", and all
errors are reported at once (InvalidFile) so a site coordinator can fix a file in one pass.
"""

from __future__ import annotations

import math
import re
from dataclasses import MISSING, dataclass, fields, is_dataclass
from pathlib import Path
from typing import Annotated

import tomli_w
import yaml
from pydantic import AfterValidator

from offramp.files import validating
from offramp.files.documents import load_toml, load_yaml, read_text
from offramp.files.validating import Day, Flag, Number, Text, Whole, closed, rule, validated
from offramp.referrals import nibrs

FORMAT = 1  # the file format version; bump only with a migration for stored protocols

DOORS = ("arrest", "social_contact", "community")
# Ordered from the street upward: who acts first when something needs review.
ROLES = ("officer", "sergeant", "project_manager", "prosecutor")
DISPOSITIONS = ("conviction", "open", "arrest")  # "open": a pending case not yet resolved
SUBSTANCES = (
    "heroin",
    "fentanyl",
    "other_opioid",
    "prescription_opioid_pill",
    "methamphetamine",
    "amphetamine",
    "cocaine",
    "crack_cocaine",
    "cannabis",
    "hallucinogen",
    "prescription_pill",
    "other",
)
VERIFICATION_METHODS = ("records_check", "observation", "credible_report")

# Yes/no facts that conditions and judgements may ask about, with the question put to staff.
# A site needing another declares it under [[extra_facts]] rather than waiting for a release.
KNOWN_FACTS: dict[str, str] = {
    "amenable": "Is the person amenable to participating?",
    "subsistence": "Is any selling for subsistence (to support own use), not for profit?",
    "exploits_minors": "Does the activity exploit minors or other people?",
    "promotes_prostitution": "Is the person promoting prostitution of others?",
    "sale_to_minor": "Was a sale made to a minor?",
    "school_zone": "Did the sale take place in a school zone?",
    "pending_specialty_court": "Does the person have a pending drug court or mental-health court case?",
    "no_contact_order": "Is the person subject to a no-contact or stay-away order?",
    "no_contact_order_with_participant": "Is there a no-contact order involving a current participant?",
    "on_supervision": "Is the person on probation or parole?",
    "supervision_approves": "Has the probation or parole agency approved the referral?",
    "has_complainant": "Is there a complainant (a victim) in this incident?",
    "complainant_consents": "Does the complainant agree to diversion and decline to seek prosecution?",
    "capacity_available": "Does the program have capacity for this referral now?",
}

# Names of the typed fields of eligibility.Facts; a yes/no fact may not reuse them.
FACT_FIELDS = (
    "door",
    "statute",
    "quantity_grams",
    "substance",
    "age",
    "date_of_birth",
    "incident_date",
    "history",
    "prior_activity_date",
    "prior_activity_method",
    "prior_activity_in_catchment",
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_VERSION = 1_000_000  # stored in a 32-bit column; no program publishes a million versions

# Error messages are constants so tests and the UI can rely on them.
ERR_REQUIRED = validating.ERR_REQUIRED
ERR_UNKNOWN_FIELD = validating.ERR_UNKNOWN_FIELD
ERR_TYPE = validating.ERR_TYPE
ERR_NIBRS_UNKNOWN = "unknown NIBRS code {code!r}"
ERR_NIBRS_RETIRED = "NIBRS code {code!r} is retired"
ERR_CHOICE = "unknown {what} {value!r}; expected one of {choices}"
ERR_DUPLICATE = "duplicate {what} {value!r}"
ERR_EMPTY = "must not be empty"
ERR_RANGE = "must be between {low} and {high}"
ERR_POSITIVE = "must be greater than 0"
ERR_ID = "must be lower_snake_case (a-z, 0-9, _), starting with a letter"
ERR_FACT = "unknown fact {value!r}; use one of the known facts or declare it under extra_facts"
ERR_STATUTE_REF = "statute {value!r} is not among this protocol's offences"
ERR_NO_DECIDER = "door {door!r} is open but authority.{door} (who decides) is not set"
ERR_AGE_ORDER = "min must not exceed max"
ERR_FORMAT = "unsupported format {value!r}; this version reads format {FORMAT}"
ERR_FACT_SHADOWS = "{value!r} is already a fact; choose another name"


# ---- what one value can say about itself (the rest is in _cross_problems) -------------------


def _one_of(what: str, allowed: tuple[str, ...]) -> AfterValidator:
    choices = ", ".join(allowed)
    return rule(lambda v: None if v in allowed else ERR_CHOICE.format(what=what, value=v, choices=choices))


def _distinct(what: str, *, empty: bool = True) -> AfterValidator:
    """No value twice; with empty=False, at least one."""

    def check(values: tuple) -> str | None:
        if not values and not empty:
            return ERR_EMPTY
        repeated = sorted({v for v in values if values.count(v) > 1})
        return ERR_DUPLICATE.format(what=what, value=repeated[0]) if repeated else None

    return rule(check)


def _between(low: int, high: int) -> AfterValidator:
    return rule(lambda v: None if low <= v <= high else ERR_RANGE.format(low=low, high=high))


def _nibrs(code: str) -> str | None:
    if code not in nibrs.OFFENCES:
        return ERR_NIBRS_UNKNOWN.format(code=code)
    return None if nibrs.OFFENCES[code].current else ERR_NIBRS_RETIRED.format(code=code)


def _version(version: int) -> str | None:
    if version < 1:
        return ERR_POSITIVE
    return ERR_RANGE.format(low=1, high=MAX_VERSION) if version > MAX_VERSION else None


def _new_fact(name: str) -> str | None:
    if not _ID.match(name):
        return ERR_ID
    return ERR_FACT_SHADOWS.format(value=name) if name in KNOWN_FACTS or name in FACT_FIELDS else None


def _choices(what: str, allowed: tuple[str, ...], *, empty: bool = True) -> object:
    """A list of distinct values, each one of `allowed`."""
    return Annotated[tuple[Annotated[Text, _one_of(what, allowed)], ...], _distinct(what, empty=empty)]


Id = Annotated[Text, rule(lambda v: None if _ID.match(v) else ERR_ID)]
Label = Annotated[Text, rule(lambda v: None if v.strip() else ERR_EMPTY)]
Nibrs = Annotated[Text, rule(_nibrs)]
NibrsList = Annotated[tuple[Nibrs, ...], rule(lambda v: None if v else ERR_EMPTY)]
Doors = _choices("door", DOORS, empty=False)  # a rule for no door is a mistake; omit it instead
Substances = _choices("substance", SUBSTANCES)
Dispositions = _choices("disposition", DISPOSITIONS, empty=False)
Methods = _choices("verification method", VERIFICATION_METHODS, empty=False)
Role = Annotated[Text, _one_of("role", ROLES)]
Grams = Annotated[Number, rule(lambda g: None if math.isfinite(g) and g > 0 else ERR_POSITIVE)]
Age = Annotated[Whole, _between(0, 130)]

_ALL_DOORS: tuple[str, ...] = DOORS


@closed
@dataclass(frozen=True, kw_only=True)
class Offence:
    statute: Label  # the local statute or ordinance code, as officers write it
    nibrs: Nibrs
    label: Label
    doors: Doors = _ALL_DOORS


@closed
@dataclass(frozen=True, kw_only=True)
class QuantityLimit:
    max_grams: Grams
    inclusive: Flag = True  # True: exactly max_grams is still eligible ("over 5 g" excluded)
    applies_to: NibrsList  # NIBRS codes the limit applies to, listed explicitly (e.g. 35A)
    exempt_substances: Substances = ()
    doors: Doors = _ALL_DOORS


@closed
@dataclass(frozen=True, kw_only=True)
class AgeLimits:
    min: Age | None = None
    max: Age | None = None


@closed
@dataclass(frozen=True, kw_only=True)
class Lookback:
    id: Id
    label: Label
    classes: NibrsList  # NIBRS codes that disqualify
    years: Annotated[Whole, _between(1, 100)] | None = None  # None: at any time (used for open cases)
    counts: Dispositions = ("conviction",)
    doors: Doors = _ALL_DOORS


@closed
@dataclass(frozen=True, kw_only=True)
class Condition:
    id: Id
    label: Label  # the requirement in plain English, e.g. "No pending drug or mental-health court case"
    fact: Text
    require: Flag  # the answer the fact must have for the person to stay eligible
    when: Text | None = None  # only applies when this other fact is true
    statutes: tuple[Text, ...] = ()  # only for these offences; empty: every offence
    doors: Doors = _ALL_DOORS
    review_by: Role | None = None  # who supplies the answer; default officer for judgements, else decider


@closed
@dataclass(frozen=True, kw_only=True)
class PriorActivity:
    within_months: Annotated[Whole, _between(1, 600)] = 24
    in_catchment: Flag = True
    methods: Methods = VERIFICATION_METHODS
    doors: Doors = ("social_contact",)


@closed
@dataclass(frozen=True, kw_only=True)
class Authority:
    arrest: Role | None = None
    social_contact: Role | None = None
    community: Role | None = None
    final: Role | None = None  # a role whose sign-off every referral at final_doors needs
    final_doors: Doors = _ALL_DOORS

    def decider(self, door: str) -> str | None:
        return getattr(self, door, None) if door in DOORS else None


@closed
@dataclass(frozen=True, kw_only=True)
class ExtraFact:
    name: Annotated[Text, rule(_new_fact)]
    question: Label


@closed
@dataclass(frozen=True, kw_only=True)
class Protocol:
    format: Annotated[
        Whole, rule(lambda v: None if v == FORMAT else ERR_FORMAT.format(value=v, FORMAT=FORMAT))
    ] = FORMAT
    program: Id
    version: Annotated[Whole, rule(_version)]
    label: Label
    effective_from: Day | None = None
    doors: Doors = _ALL_DOORS
    intake_window_days: Annotated[Whole, _between(1, 365)] = 30
    # Field order is the order of the written file: settings, then tables, then lists of rules.
    age: AgeLimits = AgeLimits()
    authority: Authority
    quantity: QuantityLimit | None = None
    prior_activity: PriorActivity | None = None
    offences: Annotated[tuple[Offence, ...], rule(lambda v: None if v else ERR_EMPTY)]
    history: tuple[Lookback, ...] = ()
    conditions: tuple[Condition, ...] = ()
    judgements: tuple[Condition, ...] = ()
    extra_facts: tuple[ExtraFact, ...] = ()

    @property
    def version_label(self) -> str:
        return f"{self.program} v{self.version}"

    def question(self, fact: str) -> str:
        for extra in self.extra_facts:
            if extra.name == fact:
                return extra.question
        return KNOWN_FACTS.get(fact, fact)


# ---- reading -------------------------------------------------------------------------------


def parse_toml(text: str | bytes, *, file: str = "") -> Protocol:
    """A protocol from TOML; raises InvalidFile with every mistake at its path."""
    return from_dict(load_toml(text, file=file), file=file)


def parse_yaml(text: str | bytes, *, file: str = "") -> Protocol:
    return from_dict(load_yaml(text, file=file), file=file)


def load(path: str | Path) -> Protocol:
    path = Path(path)
    text = read_text(path)
    return (
        parse_yaml(text, file=path.name)
        if path.suffix in (".yaml", ".yml")
        else parse_toml(text, file=path.name)
    )


def from_dict(data: object, *, file: str = "") -> Protocol:
    """Types and single values through pydantic, then what only the whole protocol can answer."""
    return validated(Protocol, data, file=file, root="protocol", cross=_cross_problems)


def _cross_problems(p: Protocol) -> list[tuple[str, str]]:
    """Rules between values: unique statutes and ids, references to facts and offences, deciders."""
    errs: list[tuple[str, str]] = []

    def unique(section: str, items: tuple, key: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                errs.append((f"{section}[{i}].{key}", ERR_DUPLICATE.format(what=key, value=value)))
            seen.add(value)

    if p.age.min is not None and p.age.max is not None and p.age.min > p.age.max:
        errs.append(("age", ERR_AGE_ORDER))
    unique("offences", p.offences, "statute")
    unique("history", p.history, "id")
    for i, extra in enumerate(p.extra_facts):
        if any(other.name == extra.name for other in p.extra_facts[:i]):
            errs.append((f"extra_facts[{i}].name", ERR_FACT_SHADOWS.format(value=extra.name)))
    facts = set(KNOWN_FACTS) | {extra.name for extra in p.extra_facts}
    statutes = {o.statute for o in p.offences}
    for section in ("conditions", "judgements"):
        rules = getattr(p, section)
        unique(section, rules, "id")
        for i, cond in enumerate(rules):
            for key in ("fact", "when"):
                value = getattr(cond, key)
                if value is not None and value not in facts:
                    errs.append((f"{section}[{i}].{key}", ERR_FACT.format(value=value)))
            for j, statute in enumerate(cond.statutes):
                if statute not in statutes:
                    errs.append((f"{section}[{i}].statutes[{j}]", ERR_STATUTE_REF.format(value=statute)))
    for door in p.doors:
        if p.authority.decider(door) is None:
            errs.append(("authority", ERR_NO_DECIDER.format(door=door)))
    return errs


# ---- writing -------------------------------------------------------------------------------


def to_dict(protocol: Protocol) -> dict:
    """Plain data. Settings are written out in full (they document the program); inside each
    rule of a list, values equal to their default are left out so long lists stay short."""
    return _dump(protocol, terse=False)


def _dump(obj: object, *, terse: bool) -> dict:
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is None or value == () or (terse and f.default is not MISSING and value == f.default):
            continue  # parsing restores each of these to the same value
        if is_dataclass(value):
            value = _dump(value, terse=False)
            if not value:
                continue
        elif isinstance(value, tuple):
            value = [_dump(v, terse=True) if is_dataclass(v) else v for v in value]
        out[f.name] = value
    return out


def to_toml(protocol: Protocol) -> str:
    """The protocol as TOML, in field order; parsing it gives the same protocol back."""
    return tomli_w.dumps(to_dict(protocol))


def to_yaml(protocol: Protocol) -> str:
    return yaml.safe_dump(to_dict(protocol), sort_keys=False, allow_unicode=True)


# ---- the example protocols shipped with offramp ---------------------------------------------

EXAMPLES_DIR = Path(__file__).resolve().parent / "protocols"


def example(name: str) -> Protocol:
    """One of the shipped example protocols by file stem: seattle, santa_fe, san_francisco."""
    return load(EXAMPLES_DIR / f"{name}.toml")
