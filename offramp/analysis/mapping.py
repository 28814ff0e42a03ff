"""The column-mapping file: which column of an export holds which offramp field, and value recodes.

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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from offramp.evaluation.study import EVENT_KINDS

# field -> (type, required, max length). Types: text, name (a lowercase arm name), date, int, bool, kind.
FIELDS: dict[str, dict[str, tuple[str, bool, int]]] = {
    "people": {
        "source_id": ("text", True, 64),
        "arm": ("name", True, 40),
        "first_name": ("text", False, 50),
        "last_name": ("text", False, 50),
        "date_of_birth": ("date", False, 0),
        "sex": ("text", False, 20),
        "race_ethnicity": ("text", False, 40),
        "area": ("text", False, 40),
        "offence_type": ("text", False, 40),
        "index_date": ("date", False, 0),
        "followup_end": ("date", False, 0),
        "program_months": ("int", False, 0),
        "participant_id": ("text", False, 64),
        "incident_number": ("text", False, 64),
    },
    "events": {
        "source_id": ("text", True, 64),
        "date": ("date", True, 0),
        "kind": ("kind", True, 0),
        "days": ("int", False, 0),
        "index_related": ("bool", False, 0),
    },
}
KINDS = EVENT_KINDS

ERR_TOML = "the mapping file is not valid TOML: {error}"
ERR_TABLE = "[file] table must be one of {choices}, got {got!r}"
ERR_UNKNOWN_FIELD = "[columns] {name!r} is not a field of the {table} table; fields: {fields}"
ERR_REQUIRED_FIELD = "[columns] must map the required field {name!r}"
ERR_NOT_TEXT = "[{section}] {name!r} must be a string"
ERR_UNKNOWN_KEY = "unknown section or key {name!r}"


class MappingError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("invalid column mapping:\n" + "\n".join(f"  {e}" for e in errors))


@dataclass(frozen=True)
class Mapping:
    table: str
    columns: dict[str, str]  # offramp field -> file column
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str | None = None
    text: str = ""


def mapping_from_toml(*, text: str) -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError([ERR_TOML.format(error=exc)]) from None
    errors = [ERR_UNKNOWN_KEY.format(name=k) for k in data if k not in ("file", "columns", "values")]
    file = data.get("file", {})
    errors += [ERR_UNKNOWN_KEY.format(name=f"file.{k}") for k in file if k not in ("table", "date_format")]
    table = file.get("table")
    if table not in FIELDS:
        raise MappingError([*errors, ERR_TABLE.format(choices=", ".join(FIELDS), got=table)])
    fields = FIELDS[table]
    columns = data.get("columns", {})
    for name, column in columns.items():
        if name not in fields:
            errors.append(ERR_UNKNOWN_FIELD.format(name=name, table=table, fields=", ".join(fields)))
        elif not isinstance(column, str):
            errors.append(ERR_NOT_TEXT.format(section="columns", name=name))
    errors += [
        ERR_REQUIRED_FIELD.format(name=n) for n, (_, req, _) in fields.items() if req and n not in columns
    ]
    values = data.get("values", {})
    for name, recodes in values.items():
        if name not in fields:
            errors.append(ERR_UNKNOWN_FIELD.format(name=name, table=table, fields=", ".join(fields)))
            continue
        for key, value in recodes.items():
            if not isinstance(value, str):
                errors.append(ERR_NOT_TEXT.format(section=f"values.{name}", name=key))
    date_format = file.get("date_format")
    if date_format is not None and not isinstance(date_format, str):
        errors.append(ERR_NOT_TEXT.format(section="file", name="date_format"))
    if errors:
        raise MappingError(errors)
    return Mapping(
        table=table,
        columns=dict(columns),
        values={k: {str(a): b for a, b in v.items()} for k, v in values.items()},
        date_format=date_format,
        text=text,
    )
