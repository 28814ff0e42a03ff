"""Batch screening of a records-system export of arrests against a protocol version. No database.

A column mapping (TOML) says which column of a department's export holds which fact, how its
dates are written and how its codes translate (race codes, substance names). `read_arrests`
reads the file with the shared reader (`offramp.files`), which checks every mapped column as a
whole; a file with any bad cell is refused with every problem named by line and field.
`screen` then decides each distinct combination of the facts that matter once with the compiled
protocol (many arrests share them) and joins the outcomes back.

An export holds what the record holds: the offence, the quantity, the substance, the age. It
does not hold the criminal history check or the officer's judgements (amenable, subsistence),
so the engine returns needs_review for an arrest that nothing in the record rules out. Such an
arrest counts as "eligible on the record": it could have been offered diversion.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from offramp.files.cells import safe_frame
from offramp.files.mapping import ColumnMapping, Field, Schema, mapping_from_toml
from offramp.files.table import read_table
from offramp.programs import configuration as program_settings
from offramp.referrals.eligibility import INELIGIBLE, Facts, compile_protocol
from offramp.referrals.protocol import SUBSTANCES, Protocol

DOOR = "arrest"
NOT_RECORDED = "Not recorded"
MAX_CODE = 64  # incident numbers and statute codes, as stored

# The facts a mapping may name; an export must have the three required ones.
ARRESTS = Schema(
    "arrests",
    (
        Field("incident_number", required=True, max_length=MAX_CODE, upper=True, unique=True),
        Field("statute", required=True, max_length=MAX_CODE),
        Field("incident_date", "date", required=True),
        Field("offence_description"),
        Field("date_of_birth", "date", not_after="incident_date"),
        Field("age", "int", low=0, high=120, describe="an age in whole years (0 to 120)"),
        Field("quantity_grams", "number", low=0, describe="a number of grams (0 or more)"),
        Field(
            "substance",
            "choice",
            choices=SUBSTANCES,
            describe="a known substance; map it under [values.substance]",
        ),
        Field("incident_time", "time"),
        *(Field(name) for name in ("officer", "unit", "shift", "area", "race", "ethnicity", "sex")),
    ),
    complete_values=True,  # a code the [values] table does not list makes the row malformed
)
FIELDS = ARRESTS.names
# Free text kept as the record has it.
GROUP_FIELDS = ("race", "ethnicity", "sex", "officer", "unit", "shift", "area")
# Shifts when the program configures none (`shifts`: name -> start, "HH:MM"); a shift runs to the
# next one's start, and the last wraps past midnight.
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


def load_mapping(text: str | bytes, *, file: str = "") -> ColumnMapping:
    """Parse and check a column mapping file; raises InvalidFile naming every problem."""
    return mapping_from_toml(text, ARRESTS, file=file)


def read_arrests(source: str | Path | bytes, mapping: ColumnMapping, *, file: str = "") -> pl.DataFrame:
    """The arrests as a frame with one column per mapped fact, typed, codes translated, plus `line`
    (the line of the file it came from) and `age` (from the date of birth where there is one).

    Raises InvalidFile naming every bad cell by line and field. `file` names the export in
    messages; a name ending .parquet is read as Parquet, anything else as CSV.
    """
    source = Path(source) if isinstance(source, str) else source
    return with_age(read_table(source, mapping, file=file))


def with_age(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `age` from the date of birth (or the age column) on the incident date."""
    return frame.with_columns(_age(frame))


def with_arrest_times(frame: pl.DataFrame, zone: str) -> pl.DataFrame:
    """Add `arrested_at`: the incident date and time (midnight where the record has no time) in the
    program's zone, as naive UTC (how both databases take a UTC time as a parameter)."""
    time = pl.col("incident_time") if "incident_time" in frame.columns else pl.lit(None, dtype=pl.Time)
    at = pl.col("incident_date").cast(pl.Datetime("us")) + time.fill_null(pl.time(0)).cast(pl.Duration("us"))

    def utc(moment: pl.Expr) -> pl.Expr:
        local = moment.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        return local.dt.convert_time_zone("UTC").dt.replace_time_zone(None)

    # A time inside the spring-forward gap does not exist there: fall back to the day's midnight.
    midnight = pl.col("incident_date").cast(pl.Datetime("us"))
    return frame.with_columns(arrested_at=pl.coalesce(utc(at), utc(midnight)))


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
MEMO_LIMIT = 200_000  # distinct fact tuples remembered per protocol (a few tens of MB at most)


def screen(frame: pl.DataFrame, protocol: Protocol) -> pl.DataFrame:
    """Add `outcome` (the engine's), `eligible` (not ruled out by the record) and `reason` (for an
    ineligible arrest, the first rule that excluded it).

    The record has no history check, no prior-activity check and no yes/no answers, so those rules
    answer needs_review whatever the incident date; the decision therefore depends only on KEY, and
    each distinct KEY is decided once.
    """
    keys = frame.select(*[pl.col(k) if k in frame.columns else pl.lit(None).alias(k) for k in KEY]).unique()
    decide = compile_protocol(protocol)
    # Continuous screening sees the same fact tuples batch after batch: keep each tuple's outcome with
    # the compiled protocol (itself cached per protocol), so a tuple is decided once per process.
    memo = decide.__dict__.setdefault("screening_memo", {})
    outcomes, reasons = [], []
    for key in keys.iter_rows():
        found = memo.get(key)
        if found is None:
            statute, grams, substance, age = key
            decision = decide(
                Facts(door=DOOR, statute=statute, quantity_grams=grams, substance=substance, age=age)
            )
            reason = next((r.message for r in decision.reasons if r.outcome == INELIGIBLE), "")
            found = (decision.outcome, reason)
            if len(memo) < MEMO_LIMIT:
                memo[key] = found
        outcomes.append(found[0])
        reasons.append(found[1])
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
        config = program_settings.default("shifts")
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
    safe_frame(frame.select([c for c in cols if c in frame.columns])).write_csv(path)
