"""A city's arrests, screened against a protocol and counted for planning. No database.

The city has no program, so nothing is stored: the file is read with the shared reader (every bad
cell named by line and field), screened with the same engine as batch screening, and reduced at
once to counts (polars group-bys, not a loop over rows). `person_id`, when the export has one,
counts distinct people; without it the people figures are left out, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from offramp.files.mapping import ColumnMapping, Field, Schema, mapping_from_toml
from offramp.referrals import screening
from offramp.referrals.protocol import Protocol

PERSON = "person_id"
CITY_ARRESTS = Schema(
    "arrests",
    (*screening.ARRESTS.fields, Field(PERSON, max_length=64)),
    complete_values=True,
)
DAYS_PER_YEAR = 365
BREAKDOWNS = (("offence", "Offence"), ("area", "Area"), ("shift", "Shift"))


@dataclass(frozen=True)
class Group:
    name: str
    eligible: int  # eligible arrests in the file
    people: int | None  # distinct people among them (None: the file has no person_id)


@dataclass(frozen=True)
class Counts:
    """What planning needs from the file: eligible arrests and people, overall and by group."""

    file_name: str
    rows: int
    first_date: str
    last_date: str
    days: int  # calendar days the file covers, first to last arrest inclusive
    eligible: int
    people: int | None
    groups: dict[str, list[Group]]  # breakdown -> groups, largest first

    @property
    def years(self) -> float:
        return self.days / DAYS_PER_YEAR

    def per_year(self, n: int | None) -> float | None:
        return None if n is None else n / self.years


def load_mapping(text: str | bytes | None, header: list[str], *, file: str = "") -> ColumnMapping:
    """The mapping file, or without one, every column named as a field maps to itself."""
    if text is None:
        known = [name for name in header if name in CITY_ARRESTS.names]
        text = "[columns]\n" + "".join(f'{name} = "{name}"\n' for name in known)
        file = file or "(columns named as the fields)"
    return mapping_from_toml(text, CITY_ARRESTS, file=file)


def header_of(source: Path | bytes) -> list[str]:
    data = source.read_bytes() if isinstance(source, Path) else source
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip("\r")
    return [name.strip() for name in first.split(",")]


def count_arrests(
    source: Path | bytes, protocol: Protocol, mapping_text: str | bytes | None = None, *, file: str = ""
) -> Counts:
    """Screen the arrests and count what planning needs; raises InvalidFile naming every problem."""
    mapping = load_mapping(mapping_text, header_of(source))
    frame = screening.read_arrests(source, mapping, file=file)
    frame = screening.groups(screening.screen(frame, protocol))
    offence = pl.col("statute")
    if "offence_description" in frame.columns:
        offence = pl.concat_str(
            [pl.col("statute"), pl.lit(" "), pl.col("offence_description").fill_null("")]
        ).str.strip_chars()
    frame = frame.with_columns(offence=offence)
    eligible = frame.filter(pl.col("eligible"))
    has_people = PERSON in frame.columns
    people = eligible[PERSON].drop_nulls().n_unique() if has_people else None
    groups = {}
    for key, _label in BREAKDOWNS:
        aggs = [pl.len().alias("eligible")]
        if has_people:
            aggs.append(pl.col(PERSON).drop_nulls().n_unique().alias("people"))
        table = eligible.group_by(key).agg(*aggs).sort(["eligible", key], descending=[True, False])
        groups[key] = [
            Group(str(row[key]), int(row["eligible"]), int(row["people"]) if has_people else None)
            for row in table.iter_rows(named=True)
        ]
    first, last = frame["incident_date"].min(), frame["incident_date"].max()
    return Counts(
        file_name=file,
        rows=frame.height,
        first_date=first.isoformat() if first else "",
        last_date=last.isoformat() if last else "",
        days=(last - first).days + 1 if first else 0,
        eligible=eligible.height,
        people=people,
        groups=groups,
    )
