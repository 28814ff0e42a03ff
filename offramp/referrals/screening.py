"""Batch screening of a records-system export of arrests against a protocol version. No database.

A column mapping (TOML) says which column of a department's export holds which fact, how its
dates are written and how its codes translate (race codes, substance names). `read_arrests`
reads the file column-wise with polars and checks every mapped column as a whole; a file with
any bad cell is refused with every problem named by line and field, so nothing half-loads.
`screen` then decides each distinct combination of the facts that matter once with the compiled
protocol (many arrests share them) and joins the outcomes back.

An export holds what the record holds: the offence, the quantity, the substance, the age. It
does not hold the criminal history check or the officer's judgements (amenable, subsistence),
so the engine returns needs_review for an arrest that nothing in the record rules out. Such an
arrest counts as "eligible on the record": it could have been offered diversion.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from offramp.referrals.eligibility import INELIGIBLE, Facts, compile_protocol
from offramp.referrals.protocol import SUBSTANCES, Protocol

DOOR = "arrest"
NOT_RECORDED = "Not recorded"
MAX_CODE = 64  # incident numbers and statute codes, as stored
MAX_ERRORS = 50  # enough to fix a file in one pass without flooding the page

# The facts a mapping may name, and whether a file must have them.
REQUIRED = ("incident_number", "statute", "incident_date")
OPTIONAL = (
    "offence_description",
    "date_of_birth",
    "age",
    "quantity_grams",
    "substance",
    "incident_time",
    "officer",
    "unit",
    "shift",
    "area",
    "race",
    "ethnicity",
    "sex",
)
FIELDS = REQUIRED + OPTIONAL
DATE_FIELDS = ("incident_date", "date_of_birth")
TIME_FIELDS = ("incident_time",)
# Free text kept as the record has it.
GROUP_FIELDS = ("race", "ethnicity", "sex", "officer", "unit", "shift", "area")
# Shifts when the program configures none (`shifts`: name -> start, "HH:MM"); a shift runs to the
# next one's start, and the last wraps past midnight.
DEFAULT_SHIFTS = {"Day": "07:00", "Evening": "15:00", "Night": "23:00"}
ERR_SHIFTS = (
    "The program's shifts must map each shift's name to its start as HH:MM (e.g. Day = \"07:00\"), "
    "with distinct starts."
)
AGE_GROUPS = (
    (18, "Under 18"),
    (25, "18 to 24"),
    (35, "25 to 34"),
    (45, "35 to 44"),
    (55, "45 to 54"),
    (65, "55 to 64"),
)
AGE_GROUP_LAST = "65 and over"

ERR_MAPPING_TOML = "The mapping file is not valid TOML: {error}"
ERR_MAPPING_UNKNOWN = "columns.{name}: unknown fact; expected one of {choices}"
ERR_MAPPING_REQUIRED = "columns.{name}: required"
ERR_MAPPING_TYPE = "{path}: expected text"
ERR_MAPPING_VALUES = "values.{name}: {name} is not mapped to a column"
ERR_MAPPING_TABLE = "{name}: unknown table; expected columns, formats or values"
ERR_CSV = "The file could not be read as CSV: {error}"
ERR_COLUMN_MISSING = "The file has no column {column!r} (mapped to {name}); its columns are: {columns}"
ERR_EMPTY_FILE = "The file has no rows."
ERR_CELL = "Line {line}, {name} (column {column!r}): {problem}"
ERR_MORE = "... and {more} more problems."
P_REQUIRED = "required"
P_DATE = "{value!r} is not a date in the format {fmt}"
P_TIME = "{value!r} is not a time in the format {fmt}"
P_NUMBER = "{value!r} is not a number of grams (0 or more)"
P_AGE = "{value!r} is not an age in whole years (0 to 120)"
P_CODE = "{value!r} is not a known code; expected one of {choices}"
P_SUBSTANCE = "{value!r} is not a known substance; map it under [values.substance]"
P_LONG = "{value!r} is longer than 64 characters"
P_DUPLICATE = "incident {value!r} is already on line {first}; the file must have one row per arrest"


class ScreeningFileError(ValueError):
    """A mapping or arrests file that cannot be loaded; `errors` names every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, str]  # fact -> source column
    formats: dict[str, str] = field(default_factory=dict)  # date fact -> strptime format
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # fact -> {source value: value}


def load_mapping(text: str) -> ColumnMapping:
    """Parse and check a column mapping file; raises ScreeningFileError naming every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScreeningFileError([ERR_MAPPING_TOML.format(error=exc)]) from None
    errors = [ERR_MAPPING_TABLE.format(name=k) for k in data if k not in ("columns", "formats", "values")]
    columns = _text_table(data.get("columns", {}), "columns", errors)
    errors += [
        ERR_MAPPING_UNKNOWN.format(name=k, choices=", ".join(FIELDS)) for k in columns if k not in FIELDS
    ]
    errors += [ERR_MAPPING_REQUIRED.format(name=k) for k in REQUIRED if k not in columns]
    formats = _text_table(data.get("formats", {}), "formats", errors)
    errors += [
        f"formats.{k}: only dates and times have a format ({', '.join(DATE_FIELDS + TIME_FIELDS)})"
        for k in formats
        if k not in DATE_FIELDS + TIME_FIELDS
    ]
    values: dict[str, dict[str, str]] = {}
    for name, table in (data.get("values") or {}).items():
        if name not in columns:
            errors.append(ERR_MAPPING_VALUES.format(name=name))
        values[name] = _text_table(table, f"values.{name}", errors)
    if errors:
        raise ScreeningFileError(errors)
    return ColumnMapping(columns=columns, formats=formats, values=values)


def _text_table(table, path: str, errors: list[str]) -> dict[str, str]:
    if not isinstance(table, dict):
        errors.append(ERR_MAPPING_TYPE.format(path=path))
        return {}
    good = {}
    for key, value in table.items():
        if isinstance(value, str):
            good[str(key)] = value
        else:
            errors.append(ERR_MAPPING_TYPE.format(path=f"{path}.{key}"))
    return good


def read_arrests(source: str | Path | bytes, mapping: ColumnMapping) -> pl.DataFrame:
    """The arrests as a frame with one column per mapped fact, typed, codes translated, plus `line`
    (the line of the file it came from) and `age` (from the date of birth where there is one).

    Line numbers assume no quoted cell spans lines (records-system exports do not).
    """
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    wanted = list(dict.fromkeys(mapping.columns.values()))
    try:
        header = pl.read_csv(data, n_rows=0, infer_schema=False).columns
        if isinstance(data, io.BytesIO):
            data.seek(0)
        missing = [
            ERR_COLUMN_MISSING.format(column=col, name=name, columns=", ".join(header))
            for name, col in mapping.columns.items()
            if col not in header
        ]
        if missing:
            raise ScreeningFileError(missing)
        raw = pl.read_csv(data, columns=wanted, infer_schema=False, encoding="utf8")
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise ScreeningFileError([ERR_CSV.format(error=str(exc).splitlines()[0])]) from None
    if raw.height == 0:
        raise ScreeningFileError([ERR_EMPTY_FILE])

    # Every mapped column as trimmed text, empty cells as null.
    text = raw.select(
        pl.int_range(2, raw.height + 2, dtype=pl.UInt32).alias("line"),
        *[
            pl.col(col).str.strip_chars().replace("", None).alias(name)
            for name, col in mapping.columns.items()
        ],
    )
    typed: list[pl.Expr] = [pl.col("line")]
    checks: list[tuple[str, pl.Expr, pl.Expr]] = []  # (fact, bad-row expression, problem text)
    for name in mapping.columns:
        col = pl.col(name)
        if name in REQUIRED:
            checks.append((name, col.is_null(), pl.lit(P_REQUIRED)))
        if name in mapping.values:
            codes = mapping.values[name]
            checks.append((name, col.is_not_null() & ~col.is_in(list(codes)), _problem(P_CODE, col, codes)))
            col = col.replace_strict(codes, default=None, return_dtype=pl.String)
        if name in DATE_FIELDS:
            fmt = mapping.formats.get(name, "%Y-%m-%d")
            parsed = col.str.strptime(pl.Date, fmt, strict=False)
            checks.append((name, col.is_not_null() & parsed.is_null(), _problem(P_DATE, col, fmt=fmt)))
            col = parsed
        elif name in TIME_FIELDS:
            fmt = mapping.formats.get(name, "%H:%M")
            parsed = col.str.strptime(pl.Time, fmt, strict=False)
            checks.append((name, col.is_not_null() & parsed.is_null(), _problem(P_TIME, col, fmt=fmt)))
            col = parsed
        elif name == "quantity_grams":
            parsed = col.cast(pl.Float64, strict=False)
            bad = col.is_not_null() & (
                parsed.is_null() | (parsed < 0) | parsed.is_infinite() | parsed.is_nan()
            )
            checks.append((name, bad, _problem(P_NUMBER, col)))
            col = parsed
        elif name == "age":
            parsed = col.cast(pl.Int32, strict=False)
            bad = col.is_not_null() & (parsed.is_null() | (parsed < 0) | (parsed > 120))
            checks.append((name, bad, _problem(P_AGE, col)))
            col = parsed
        elif name == "substance":
            checks.append(
                (name, col.is_not_null() & ~col.is_in(list(SUBSTANCES)), _problem(P_SUBSTANCE, col))
            )
        elif name in ("incident_number", "statute"):
            checks.append((name, col.str.len_chars() > MAX_CODE, _problem(P_LONG, col)))
            if name == "incident_number":
                col = col.str.to_uppercase()
        typed.append(col.alias(name))

    # One pass computes every check; only the failing rows are pulled out to name them.
    flags = text.select(
        pl.col("line"), *[bad.fill_null(False).alias(f"bad{i}") for i, (_, bad, _) in enumerate(checks)]
    )
    errors: list[tuple[int, str]] = []
    for i, (name, _bad, problem) in enumerate(checks):
        failing = text.filter(flags[f"bad{i}"]).head(MAX_ERRORS).select("line", problem.alias("problem"))
        column = mapping.columns[name]
        errors += [
            (line, ERR_CELL.format(line=line, name=name, column=column, problem=p))
            for line, p in failing.iter_rows()
        ]
    frame = text.select(typed)
    errors += _duplicates(frame, mapping)
    if errors:
        errors.sort()
        shown = [message for _, message in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:
            shown.append(ERR_MORE.format(more=len(errors) - MAX_ERRORS))
        raise ScreeningFileError(shown)
    return frame.with_columns(_age(frame))


def _problem(template: str, col: pl.Expr, codes: dict | None = None, fmt: str = "") -> pl.Expr:
    """The problem text for each failing cell, built in polars (the value quoted as Python would)."""
    head, _, tail = template.partition("{value!r}")
    choices = ", ".join(sorted(codes)) if codes is not None else ""
    return pl.concat_str(pl.lit(head + "'"), col, pl.lit("'" + tail.format(fmt=fmt, choices=choices)))


def _duplicates(frame: pl.DataFrame, mapping: ColumnMapping) -> list[tuple[int, str]]:
    numbered = frame.select("line", "incident_number").drop_nulls()
    first = numbered.group_by("incident_number").agg(pl.col("line").min().alias("first"))
    dupes = numbered.join(first, on="incident_number").filter(pl.col("line") != pl.col("first"))
    column = mapping.columns["incident_number"]
    return [
        (
            line,
            ERR_CELL.format(
                line=line,
                name="incident_number",
                column=column,
                problem=P_DUPLICATE.format(value=number, first=first_line),
            ),
        )
        for line, number, first_line in dupes.head(MAX_ERRORS)
        .select("line", "incident_number", "first")
        .iter_rows()
    ]


def _age(frame: pl.DataFrame) -> pl.Expr:
    """Whole years on the incident date (as eligibility.age_on), else the age column, else null."""
    age = pl.lit(None, dtype=pl.Int32)
    if "age" in frame.columns:
        age = pl.col("age")
    if "date_of_birth" in frame.columns:
        inc, dob = pl.col("incident_date").dt, pl.col("date_of_birth").dt

        # month() and day() are Int8: widen before arithmetic or month * 100 overflows.
        def month_day(d):
            return d.month().cast(pl.Int32) * 100 + d.day().cast(pl.Int32)

        before_birthday = month_day(inc) < month_day(dob)
        from_dob = inc.year().cast(pl.Int32) - dob.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)
        age = pl.coalesce(from_dob, age)
    return age.alias("age")


# The facts an arrest record can carry; the decision depends on nothing else (see `screen`).
KEY = ("statute", "quantity_grams", "substance", "age")


def screen(frame: pl.DataFrame, protocol: Protocol) -> pl.DataFrame:
    """Add `outcome` (the engine's), `eligible` (not ruled out by the record) and `reason` (for an
    ineligible arrest, the first rule that excluded it).

    The record has no history check, no prior-activity check and no yes/no answers, so those rules
    answer needs_review whatever the incident date; the decision therefore depends only on KEY, and
    each distinct KEY is decided once.
    """
    keys = frame.select(*[pl.col(k) if k in frame.columns else pl.lit(None).alias(k) for k in KEY]).unique()
    decide = compile_protocol(protocol)
    outcomes, reasons = [], []
    for statute, grams, substance, age in keys.iter_rows():
        decision = decide(
            Facts(door=DOOR, statute=statute, quantity_grams=grams, substance=substance, age=age)
        )
        outcomes.append(decision.outcome)
        reasons.append(next((r.message for r in decision.reasons if r.outcome == INELIGIBLE), ""))
    decided = keys.with_columns(
        pl.Series("outcome", outcomes, dtype=pl.String),
        pl.Series("reason", reasons, dtype=pl.String),
    )
    on = [k for k in KEY if k in frame.columns]
    joined = frame.join(
        decided.select(*on, "outcome", "reason"), on=on, how="left", nulls_equal=True, maintain_order="left"
    )
    return joined.with_columns(eligible=pl.col("outcome") != INELIGIBLE)


def match_referrals(frame: pl.DataFrame, referrals: dict[str, int]) -> pl.DataFrame:
    """Add `referral_id` and `diverted`: the program's arrest referral with this incident number
    (compared trimmed and upper-cased), if there is one."""
    return frame.with_columns(
        referral_id=pl.col("incident_number").replace_strict(referrals, default=None, return_dtype=pl.Int64)
    ).with_columns(diverted=pl.col("referral_id").is_not_null())


def parse_shifts(config) -> list[tuple[int, str]]:
    """The program's `shifts` configuration (name -> "HH:MM" start) as (minute of day, name), by start.

    Raises ValueError (ERR_SHIFTS) when it is not a table of distinct HH:MM starts."""
    if config is None:
        config = DEFAULT_SHIFTS
    if not isinstance(config, dict) or not config:
        raise ValueError(ERR_SHIFTS)
    starts = []
    for name, start in config.items():
        hours, _, minutes = str(start).partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(ERR_SHIFTS)
        starts.append((int(hours) * 60 + int(minutes), str(name)))
    if len({m for m, _ in starts}) != len(starts):
        raise ValueError(ERR_SHIFTS)
    return sorted(starts)


def _shift(frame: pl.DataFrame, shifts: list[tuple[int, str]]) -> pl.Expr:
    """The shift column as recorded, else the shift the arrest time falls in, else "Not recorded"."""
    if "shift" in frame.columns:
        return pl.col("shift").fill_null(NOT_RECORDED)
    if "incident_time" not in frame.columns:
        return pl.lit(NOT_RECORDED)
    t = pl.col("incident_time")
    minute = t.dt.hour().cast(pl.Int32) * 60 + t.dt.minute().cast(pl.Int32)
    label = pl.when(t.is_null()).then(pl.lit(NOT_RECORDED))
    for start, name in reversed(shifts):
        label = label.when(minute >= start).then(pl.lit(name))
    return label.otherwise(pl.lit(shifts[-1][1]))  # before the first start: the last shift, over midnight


def groups(frame: pl.DataFrame, shifts: list[tuple[int, str]] | None = None) -> pl.DataFrame:
    """The columns the equity audit groups by, each filled ("Not recorded" where the record is silent).

    `shifts` (from `parse_shifts`) derives the shift from the arrest time when no shift is mapped."""
    shifts = shifts or parse_shifts(None)
    band = pl.when(pl.col("age").is_null()).then(pl.lit(NOT_RECORDED))
    for upper, label in AGE_GROUPS:
        band = band.when(pl.col("age") < upper).then(pl.lit(label))
    band = band.otherwise(pl.lit(AGE_GROUP_LAST))
    return frame.with_columns(
        *[
            (pl.col(g).fill_null(NOT_RECORDED) if g in frame.columns else pl.lit(NOT_RECORDED)).alias(g)
            for g in GROUP_FIELDS
            if g != "shift"
        ],
        shift=_shift(frame, shifts),
        age_group=band,
    )


def results_csv(frame: pl.DataFrame, path: Path) -> None:
    """Per-arrest results, one row per arrest in file order."""
    cols = [
        "line",
        "incident_number",
        "statute",
        "offence_description",
        "outcome",
        "eligible",
        "diverted",
        "reason",
        "officer",
        "unit",
        "shift",
        "area",
        "race",
        "ethnicity",
        "sex",
        "age_group",
    ]
    frame.select([c for c in cols if c in frame.columns]).write_csv(path)
