"""A program's eligibility protocol as versioned data: parse, validate, serialise.

Pure Python, no Django: a protocol is a frozen dataclass tree that reads from and writes to
readable TOML (or YAML). Parsing is generic over the dataclass fields (shape and types), then
`_semantic_errors` checks what types cannot say (known NIBRS codes, unique ids, references).
Every error names the field path, e.g. "offences[2].nibrs: unknown NIBRS code '99Z'", and all
errors are reported at once so a site coordinator can fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, fields, is_dataclass
from pathlib import Path

import tomli_w
import yaml

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

# Error messages are constants so tests and the UI can rely on them.
ERR_REQUIRED = "required"
ERR_UNKNOWN_FIELD = "unknown field"
ERR_TYPE = "expected {expected}, got {got}"
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


class ProtocolError(ValueError):
    """A protocol that does not validate; `errors` lists every problem as 'path: message'."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("invalid protocol:\n  " + "\n  ".join(self.errors))


_ALL_DOORS: tuple[str, ...] = DOORS


@dataclass(frozen=True, kw_only=True)
class Offence:
    statute: str  # the local statute or ordinance code, as officers write it
    nibrs: str
    label: str
    doors: tuple[str, ...] = _ALL_DOORS


@dataclass(frozen=True, kw_only=True)
class QuantityLimit:
    max_grams: float
    inclusive: bool = True  # True: exactly max_grams is still eligible ("over 5 g" excluded)
    applies_to: tuple[str, ...]  # NIBRS codes the limit applies to, listed explicitly (e.g. 35A)
    exempt_substances: tuple[str, ...] = ()
    doors: tuple[str, ...] = _ALL_DOORS


@dataclass(frozen=True, kw_only=True)
class AgeLimits:
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True, kw_only=True)
class Lookback:
    id: str
    label: str
    classes: tuple[str, ...]  # NIBRS codes that disqualify
    years: int | None = None  # None: at any time (used for open cases)
    counts: tuple[str, ...] = ("conviction",)
    doors: tuple[str, ...] = _ALL_DOORS


@dataclass(frozen=True, kw_only=True)
class Condition:
    id: str
    label: str  # the requirement in plain English, e.g. "No pending drug or mental-health court case"
    fact: str
    require: bool  # the answer the fact must have for the person to stay eligible
    when: str | None = None  # only applies when this other fact is true
    statutes: tuple[str, ...] = ()  # only for these offences; empty: every offence
    doors: tuple[str, ...] = _ALL_DOORS
    review_by: str | None = None  # who supplies the answer; default officer for judgements, else decider


@dataclass(frozen=True, kw_only=True)
class PriorActivity:
    within_months: int = 24
    in_catchment: bool = True
    methods: tuple[str, ...] = VERIFICATION_METHODS
    doors: tuple[str, ...] = ("social_contact",)


@dataclass(frozen=True, kw_only=True)
class Authority:
    arrest: str | None = None
    social_contact: str | None = None
    community: str | None = None
    final: str | None = None  # a role whose sign-off every referral at final_doors needs
    final_doors: tuple[str, ...] = _ALL_DOORS

    def decider(self, door: str) -> str | None:
        return getattr(self, door, None) if door in DOORS else None


@dataclass(frozen=True, kw_only=True)
class ExtraFact:
    name: str
    question: str


@dataclass(frozen=True, kw_only=True)
class Protocol:
    format: int = FORMAT
    program: str
    version: int
    label: str
    effective_from: dt.date | None = None
    doors: tuple[str, ...] = _ALL_DOORS
    intake_window_days: int = 30
    # Field order is the order of the written file: settings, then tables, then lists of rules.
    age: AgeLimits = AgeLimits()
    authority: Authority
    quantity: QuantityLimit | None = None
    prior_activity: PriorActivity | None = None
    offences: tuple[Offence, ...]
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


def parse_toml(text: str) -> Protocol:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError([f"toml: {exc}"]) from None
    return from_dict(data)


def parse_yaml(text: str) -> Protocol:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProtocolError([f"yaml: {exc}"]) from None
    return from_dict(data)


def load(path: str | Path) -> Protocol:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return parse_yaml(text) if path.suffix in (".yaml", ".yml") else parse_toml(text)


def from_dict(data: object) -> Protocol:
    errors: list[str] = []
    protocol = _build(Protocol, data, "", errors)
    if not errors:
        errors.extend(_semantic_errors(protocol))
    if errors:
        raise ProtocolError(errors)
    return protocol


_BAD = object()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "table"}.get(
        type(value), type(value).__name__
    )


def _build(cls: type, data: object, path: str, errors: list[str]) -> object:
    if not isinstance(data, dict):
        errors.append(f"{path or 'protocol'}: " + ERR_TYPE.format(expected="a table", got=_kind(data)))
        return _BAD
    before = len(errors)
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    kwargs = {}
    for f in fields(cls):
        where = _join(path, f.name)
        if data.get(f.name) is None:  # YAML may say null; TOML simply leaves the key out
            if f.default is MISSING:
                errors.append(f"{where}: {ERR_REQUIRED}")
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name], where, errors)
    errors.extend(f"{_join(path, str(key))}: {ERR_UNKNOWN_FIELD}" for key in data if key not in names)
    return cls(**kwargs) if len(errors) == before else _BAD


def _convert(tp: object, value: object, path: str, errors: list[str]) -> object:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):  # "X | None": None was handled by the caller
        (tp,) = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        origin = typing.get_origin(tp)
    if origin is tuple:
        if not isinstance(value, list):
            errors.append(f"{path}: " + ERR_TYPE.format(expected="a list", got=_kind(value)))
            return _BAD
        item = typing.get_args(tp)[0]
        return tuple(_convert(item, v, f"{path}[{i}]", errors) for i, v in enumerate(value))
    if is_dataclass(tp):
        return _build(tp, value, path, errors)
    ok = {
        str: isinstance(value, str),
        int: isinstance(value, int) and not isinstance(value, bool),
        bool: isinstance(value, bool),
        float: isinstance(value, int | float) and not isinstance(value, bool),
        dt.date: isinstance(value, dt.date) and not isinstance(value, dt.datetime),
    }[tp]
    if not ok:
        expected = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}
        errors.append(f"{path}: " + ERR_TYPE.format(expected=expected.get(tp, "a date"), got=_kind(value)))
        return _BAD
    return float(value) if tp is float else value


def _semantic_errors(p: Protocol) -> list[str]:
    errs: list[str] = []

    def err(path: str, message: str) -> None:
        errs.append(f"{path}: {message}")

    def choices(path: str, values: tuple[str, ...], allowed: tuple[str, ...], what: str) -> None:
        if what == "door" and not values:
            err(path, ERR_EMPTY)  # a rule for no door is a mistake; omit it instead
        for i, value in enumerate(values):
            if value not in allowed:
                err(f"{path}[{i}]", ERR_CHOICE.format(what=what, value=value, choices=", ".join(allowed)))
        for value in sorted({v for v in values if values.count(v) > 1}):
            err(path, ERR_DUPLICATE.format(what=what, value=value))

    def nibrs_code(path: str, code: str) -> None:
        if code not in nibrs.OFFENCES:
            err(path, ERR_NIBRS_UNKNOWN.format(code=code))
        elif not nibrs.OFFENCES[code].current:
            err(path, ERR_NIBRS_RETIRED.format(code=code))

    def text(path: str, value: str) -> None:
        if not value.strip():
            err(path, ERR_EMPTY)

    def role(path: str, value: str | None) -> None:
        if value is not None and value not in ROLES:
            err(path, ERR_CHOICE.format(what="role", value=value, choices=", ".join(ROLES)))

    if p.format != FORMAT:
        err("format", ERR_FORMAT.format(value=p.format, FORMAT=FORMAT))
    if not _ID.match(p.program):
        err("program", ERR_ID)
    if p.version < 1:
        err("version", ERR_POSITIVE)
    text("label", p.label)
    if not p.doors:
        err("doors", ERR_EMPTY)
    choices("doors", p.doors, DOORS, "door")
    if not 1 <= p.intake_window_days <= 365:
        err("intake_window_days", ERR_RANGE.format(low=1, high=365))
    for key in ("min", "max"):
        value = getattr(p.age, key)
        if value is not None and not 0 <= value <= 130:
            err(f"age.{key}", ERR_RANGE.format(low=0, high=130))
    if p.age.min is not None and p.age.max is not None and p.age.min > p.age.max:
        err("age", ERR_AGE_ORDER)

    if not p.offences:
        err("offences", ERR_EMPTY)
    seen: set[str] = set()
    for i, offence in enumerate(p.offences):
        where = f"offences[{i}]"
        text(f"{where}.statute", offence.statute)
        if offence.statute in seen:
            err(f"{where}.statute", ERR_DUPLICATE.format(what="statute", value=offence.statute))
        seen.add(offence.statute)
        nibrs_code(f"{where}.nibrs", offence.nibrs)
        text(f"{where}.label", offence.label)
        choices(f"{where}.doors", offence.doors, DOORS, "door")

    if (q := p.quantity) is not None:
        if not (math.isfinite(q.max_grams) and q.max_grams > 0):
            err("quantity.max_grams", ERR_POSITIVE)
        if not q.applies_to:
            err("quantity.applies_to", ERR_EMPTY)
        for i, code in enumerate(q.applies_to):
            nibrs_code(f"quantity.applies_to[{i}]", code)
        choices("quantity.exempt_substances", q.exempt_substances, SUBSTANCES, "substance")
        choices("quantity.doors", q.doors, DOORS, "door")

    ids: set[str] = set()
    for i, look in enumerate(p.history):
        where = f"history[{i}]"
        if not _ID.match(look.id):
            err(f"{where}.id", ERR_ID)
        elif look.id in ids:
            err(f"{where}.id", ERR_DUPLICATE.format(what="id", value=look.id))
        ids.add(look.id)
        text(f"{where}.label", look.label)
        if not look.classes:
            err(f"{where}.classes", ERR_EMPTY)
        for j, code in enumerate(look.classes):
            nibrs_code(f"{where}.classes[{j}]", code)
        if look.years is not None and not 1 <= look.years <= 100:
            err(f"{where}.years", ERR_RANGE.format(low=1, high=100))
        if not look.counts:
            err(f"{where}.counts", ERR_EMPTY)
        choices(f"{where}.counts", look.counts, DISPOSITIONS, "disposition")
        choices(f"{where}.doors", look.doors, DOORS, "door")

    facts = set(KNOWN_FACTS)
    for i, extra in enumerate(p.extra_facts):
        where = f"extra_facts[{i}]"
        if not _ID.match(extra.name):
            err(f"{where}.name", ERR_ID)
        elif extra.name in facts or extra.name in FACT_FIELDS:
            err(f"{where}.name", ERR_FACT_SHADOWS.format(value=extra.name))
        facts.add(extra.name)
        text(f"{where}.question", extra.question)

    statutes = {o.statute for o in p.offences}
    for section in ("conditions", "judgements"):
        ids = set()
        for i, cond in enumerate(getattr(p, section)):
            where = f"{section}[{i}]"
            if not _ID.match(cond.id):
                err(f"{where}.id", ERR_ID)
            elif cond.id in ids:
                err(f"{where}.id", ERR_DUPLICATE.format(what="id", value=cond.id))
            ids.add(cond.id)
            text(f"{where}.label", cond.label)
            for key in ("fact", "when"):
                value = getattr(cond, key)
                if value is not None and value not in facts:
                    err(f"{where}.{key}", ERR_FACT.format(value=value))
            for j, statute in enumerate(cond.statutes):
                if statute not in statutes:
                    err(f"{where}.statutes[{j}]", ERR_STATUTE_REF.format(value=statute))
            choices(f"{where}.doors", cond.doors, DOORS, "door")
            role(f"{where}.review_by", cond.review_by)

    if (pa := p.prior_activity) is not None:
        if not 1 <= pa.within_months <= 600:
            err("prior_activity.within_months", ERR_RANGE.format(low=1, high=600))
        if not pa.methods:
            err("prior_activity.methods", ERR_EMPTY)
        choices("prior_activity.methods", pa.methods, VERIFICATION_METHODS, "verification method")
        choices("prior_activity.doors", pa.doors, DOORS, "door")

    auth = p.authority
    for key in (*DOORS, "final"):
        role(f"authority.{key}", getattr(auth, key))
    for door in p.doors:
        if door in DOORS and auth.decider(door) is None:
            err("authority", ERR_NO_DECIDER.format(door=door))
    choices("authority.final_doors", auth.final_doors, DOORS, "door")
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
