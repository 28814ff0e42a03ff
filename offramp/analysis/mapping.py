"""The records import's two tables (people, events) as schemas for the shared column mapping.

A mapping file picks its table with `[file] table` and names each field's column:

```toml
[file]
table = "events"            # "people" or "events"
date_format = "%m/%d/%Y"    # optional; ISO dates (2024-03-31) by default

[columns]                   # offramp field = column name in the file
source_id = "SUBJECT_NO"
date = "EVENT_DT"
kind = "EVENT_TYPE"
days = "LOS"

[values.kind]               # optional recodes: value in the file = offramp value
ARR = "arrest"
BKG = "booking"
```

Reading and checking the file is `offramp.files` (`mapping_from_toml`, `read_table`).
"""

from __future__ import annotations

from offramp.evaluation.study import RECORD_KINDS
from offramp.files.mapping import ColumnMapping, Field, Schema, mapping_from_toml

NAME = r"^[a-z][a-z0-9_]*$"
MAX_MONTHS = 1200  # a hundred years in a program: anything larger is a typo
MAX_DAYS = 36_525  # a hundred years of stay


def _text(name: str, max_length: int, *, required: bool = False, unique: bool = False) -> Field:
    return Field(name, required=required, max_length=max_length, unique=unique)


PEOPLE = Schema(
    "people",
    (
        _text("source_id", 64, required=True, unique=True),  # one row per person
        Field(
            "arm",
            "pattern",
            required=True,
            pattern=NAME,
            describe="a lowercase name (letters, digits, underscores)",
        ),
        _text("first_name", 50),
        _text("last_name", 50),
        Field("date_of_birth", "date", not_after="index_date"),
        _text("sex", 20),
        _text("race_ethnicity", 40),
        _text("area", 40),
        _text("offence_type", 40),
        Field("index_date", "date"),
        Field("followup_end", "date"),
        Field("program_months", "int", low=0, high=MAX_MONTHS),
        _text("participant_id", 64),
        _text("incident_number", 64),
    ),
)
EVENTS = Schema(
    "events",
    (
        _text("source_id", 64, required=True),
        Field("date", "date", required=True),
        Field(
            "kind",
            "choice",
            required=True,
            choices=RECORD_KINDS,
            describe=f"an event kind ({', '.join(RECORD_KINDS)})",
        ),
        Field("days", "int", low=0, high=MAX_DAYS),
        Field("index_related", "bool"),
    ),
)
TABLES = {"people": PEOPLE, "events": EVENTS}


def records_mapping(text: str | bytes, *, file: str = "") -> ColumnMapping:
    """A records-import mapping; raises InvalidFile naming every problem."""
    return mapping_from_toml(text, TABLES, file=file)
