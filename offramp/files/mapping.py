"""A column mapping: which column of an export holds which field, how its dates read, how codes translate.

A `Schema` lists the fields an import knows (screening's arrest facts; the records import's people
and events tables); a mapping file (TOML) names the source column of each:

```toml
[file]
table = "events"            # when the import has several tables
date_format = "%m/%d/%Y"    # optional; ISO dates (2024-03-31) by default

[columns]                   # field = column name in the file
source_id = "SUBJECT_NO"
date = "EVENT_DT"

[formats]                   # optional, per date or time field (strptime codes)
date = "%d.%m.%Y"

[values.kind]               # optional recodes: value in the file = offramp value
ARR = "arrest"
```

>>> people = Schema("people", (Field("source_id", required=True), Field("arm")))
>>> mapping_from_toml('[columns]\\nsource_id = "ID"\\narm = 3', people)
Traceback (most recent call last):
offramp.files.problems.InvalidFile: columns.arm: expected a string, got integer
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from offramp.files.documents import load_toml
from offramp.files.problems import InvalidFile, Problem
from offramp.files.validating import ERR_REQUIRED, Text, closed, validated

KINDS = ("text", "date", "time", "int", "number", "bool", "choice", "pattern")
ISO_DATE, ISO_TIME = "%Y-%m-%d", "%H:%M"

ERR_TABLE = "must be one of {choices}"
ERR_UNKNOWN = "unknown field; expected one of {choices}"
ERR_FORMAT_KIND = "only dates and times have a format ({choices})"
ERR_VALUES_UNMAPPED = "{name} is not mapped to a column"


@dataclass(frozen=True)
class Field:
    """One field an import knows, and what a good value of it is.

    kind: text, date, time, int (whole, `low` to `high`), number (`low` to `high`), bool, choice (one
    of `choices`) or pattern (matching the regular expression `pattern`). `describe` words what a good
    value is for the message about a bad one ("'x' is not an age in whole years (0 to 120)").
    `unique`: no two rows share a value. `not_after`: a date field this date may not follow.
    """

    name: str
    kind: str = "text"
    required: bool = False
    max_length: int | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    pattern: str = ""
    describe: str = ""
    upper: bool = False
    unique: bool = False
    not_after: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}; expected one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Schema:
    """The fields of one kind of file. With `complete_values`, a recode table lists every value
    a column may hold (a code it does not list is a mistake); otherwise other values pass through."""

    name: str
    fields: tuple[Field, ...]
    complete_values: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class ColumnMapping:
    """A checked mapping: field -> source column, field -> strptime format, field -> recodes."""

    schema: Schema
    columns: dict[str, str]
    formats: dict[str, str] = dataclasses.field(default_factory=dict)
    values: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.schema.name

    def format(self, name: str) -> str:
        kind = self.schema.field(name).kind
        return self.formats.get(name) or (ISO_TIME if kind == "time" else ISO_DATE)


@closed
@dataclass(frozen=True, kw_only=True)
class _FileTable:
    table: Text | None = None
    date_format: Text | None = None


@closed
@dataclass(frozen=True, kw_only=True)
class _MappingFile:
    file: _FileTable = _FileTable()
    columns: dict[Text, Text] = dataclasses.field(default_factory=dict)
    formats: dict[Text, Text] = dataclasses.field(default_factory=dict)
    values: dict[Text, dict[Text, Text]] = dataclasses.field(default_factory=dict)


def mapping_from_toml(
    text: str | bytes, schemas: Schema | Mapping[str, Schema], *, file: str = ""
) -> ColumnMapping:
    """Parse and check a mapping file against one schema, or several chosen by `[file] table`.

    Raises InvalidFile naming every problem by its path (`columns.weight: unknown field; ...`).
    """
    parsed = validated(_MappingFile, load_toml(text, file=file), file=file, root="mapping")
    if isinstance(schemas, Schema):
        schema = schemas
    else:
        schema = schemas.get(parsed.file.table or "")
        if schema is None:
            message = (
                ERR_REQUIRED if parsed.file.table is None else ERR_TABLE.format(choices=", ".join(schemas))
            )
            raise InvalidFile([Problem(message, file=file, where="file.table")])
    problems = _mapping_problems(parsed, schema, file)
    if problems:
        raise InvalidFile(problems)
    dated = [f.name for f in schema.fields if f.kind == "date" and f.name in parsed.columns]
    default = dict.fromkeys(dated, parsed.file.date_format) if parsed.file.date_format else {}
    return ColumnMapping(
        schema=schema,
        columns=dict(parsed.columns),
        formats={**default, **parsed.formats},
        values=parsed.values,
    )


def _mapping_problems(parsed: _MappingFile, schema: Schema, file: str) -> list[Problem]:
    def problem(where: str, message: str) -> None:
        problems.append(Problem(message, file=file, where=where))

    problems: list[Problem] = []
    for name in parsed.columns:
        if schema.field(name) is None:
            problem(f"columns.{name}", ERR_UNKNOWN.format(choices=", ".join(schema.names)))
    for f in schema.fields:
        if f.required and f.name not in parsed.columns:
            problem(f"columns.{f.name}", ERR_REQUIRED)
    timed = [f.name for f in schema.fields if f.kind in ("date", "time")]
    for name in parsed.formats:
        if name not in timed:
            problem(f"formats.{name}", ERR_FORMAT_KIND.format(choices=", ".join(timed)))
    for name in parsed.values:
        if name not in parsed.columns:
            problem(f"values.{name}", ERR_VALUES_UNMAPPED.format(name=name))
    return problems
