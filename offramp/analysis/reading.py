"""Read an export (CSV or Parquet) column-wise with polars and check every row against the mapping.

Every column is read as text and converted with polars expressions, never row by row; a value that
does not convert becomes an error naming its line (CSV: the line in the file, header = line 1;
Parquet: the row number, from 1) and the field. Nothing is returned for loading unless every row
is good, so a file loads whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from offramp.analysis.mapping import FIELDS, KINDS, Mapping

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
TRUE = ("true", "t", "yes", "y", "1")
FALSE = ("false", "f", "no", "n", "0", "")

ERR_FORMAT = "unsupported file type {suffix!r}: use .csv or .parquet"
ERR_READ = "the file could not be read: {error}"
ERR_MISSING_COLUMN = "the file has no column {column!r} (mapped to {field})"
ERR_REQUIRED = "is required"
ERR_DATE = "is not a date in the form {fmt}: {value!r}"
ISO_DATE = "%Y-%m-%d"
ERR_INT = "is not a whole number of zero or more: {value!r}"
ERR_BOOL = "is not true or false: {value!r}"
ERR_KIND = "is not an event kind ({kinds}): {value!r}"
ERR_NAME = "must be a lowercase name (letters, digits, underscores): {value!r}"
ERR_LENGTH = "is longer than {n} characters"
ERR_DUPLICATE = "repeats a source_id already on line {first}"
MAX_ERRORS = 200


@dataclass(frozen=True)
class RowError:
    line: int  # CSV line number, or Parquet row number
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class FileError(ValueError):
    """The file cannot be loaded; `errors` lists every problem found (up to MAX_ERRORS rows)."""

    def __init__(self, errors: list[RowError | str], total: int | None = None):
        self.errors = errors
        self.total = total if total is not None else len(errors)
        more = f"\n  ... and {self.total - len(errors)} more" if self.total > len(errors) else ""
        super().__init__("the file was not loaded:\n" + "\n".join(f"  {e}" for e in errors) + more)


def read_raw(path: Path) -> tuple[pl.DataFrame, int]:
    """All columns as text, plus the line number of the first data row."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pl.read_csv(path, infer_schema=False), 2
        if suffix in (".parquet", ".pq"):
            frame = pl.read_parquet(path)
            return frame.with_columns(pl.all().cast(pl.String)), 1
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileError([ERR_READ.format(error=exc)]) from None
    raise FileError([ERR_FORMAT.format(suffix=suffix)])


def _convert(name: str, kind: str, max_len: int, raw: pl.Expr, date_format: str | None) -> pl.Expr:
    if kind == "date":
        # An explicit format, never inference: 03/04/2012 must not silently become 3 April or 4 March.
        return raw.str.strptime(pl.Date, date_format or ISO_DATE, strict=False)
    if kind == "int":
        number = raw.str.strip_chars().cast(pl.Int64, strict=False)
        return pl.when(number >= 0).then(number).otherwise(None)
    if kind == "bool":
        low = raw.str.strip_chars().str.to_lowercase()
        return pl.when(low.is_in(TRUE)).then(True).when(low.is_in(FALSE)).then(False).otherwise(None)
    if kind == "kind":
        return pl.when(raw.is_in(KINDS)).then(raw).otherwise(None)
    if kind == "name":
        return pl.when(raw.str.contains(NAME.pattern)).then(raw).otherwise(None)
    return pl.when(raw.str.len_chars() <= max_len).then(raw).otherwise(None)


def _message(kind: str, max_len: int, value: str, date_format: str | None) -> str:
    return {
        "date": lambda: ERR_DATE.format(fmt=date_format or ISO_DATE, value=value),
        "int": lambda: ERR_INT.format(value=value),
        "bool": lambda: ERR_BOOL.format(value=value),
        "kind": lambda: ERR_KIND.format(kinds=", ".join(KINDS), value=value),
        "name": lambda: ERR_NAME.format(value=value),
    }.get(kind, lambda: ERR_LENGTH.format(n=max_len))()


def read_table(path: Path, mapping: Mapping) -> pl.DataFrame:
    """The file's rows as typed offramp fields plus ``_line``; raises FileError listing bad rows."""
    raw, first_line = read_raw(path)
    missing = [
        ERR_MISSING_COLUMN.format(column=col, field=f)
        for f, col in mapping.columns.items()
        if col not in raw.columns
    ]
    if missing:
        raise FileError(missing)
    fields = FIELDS[mapping.table]
    raw = raw.with_row_index("_line", offset=first_line)
    texts, typed = [], []
    for name, column in mapping.columns.items():
        kind, _required, max_len = fields[name]
        text = pl.col(column).str.strip_chars()
        text = pl.when(text == "").then(None).otherwise(text)
        if name in mapping.values:
            text = text.replace(mapping.values[name])
        texts.append(text.alias(f"_raw_{name}"))
        typed.append(_convert(name, kind, max_len, pl.col(f"_raw_{name}"), mapping.date_format).alias(name))
    frame = raw.select("_line", *texts).with_columns(typed)

    checks = []
    for name in mapping.columns:
        kind, required, max_len = fields[name]
        bad_value = pl.col(f"_raw_{name}").is_not_null() & pl.col(name).is_null()
        checks.append(pl.when(bad_value).then(pl.lit(name)).otherwise(None).alias(f"_bad_{name}"))
        if required:
            checks.append(
                pl.when(pl.col(f"_raw_{name}").is_null())
                .then(pl.lit(name))
                .otherwise(None)
                .alias(f"_req_{name}")
            )
    flagged = frame.with_columns(checks)
    errors: list[RowError] = []
    total = 0
    for name in mapping.columns:
        kind, required, max_len = fields[name]
        bad = flagged.filter(pl.col(f"_bad_{name}").is_not_null())
        total += bad.height
        for line, value in bad.select("_line", f"_raw_{name}").head(MAX_ERRORS).iter_rows():
            errors.append(RowError(line, name, _message(kind, max_len, value, mapping.date_format)))
        if required:
            missing_rows = flagged.filter(pl.col(f"_req_{name}").is_not_null())
            total += missing_rows.height
            errors += [RowError(line, name, ERR_REQUIRED) for line in missing_rows["_line"].head(MAX_ERRORS)]
    if mapping.table == "people" and "source_id" in frame.columns:
        firsts = frame.filter(pl.col("source_id").is_not_null()).with_columns(
            pl.col("_line").min().over("source_id").alias("_first")
        )
        dupes = firsts.filter(pl.col("_line") != pl.col("_first"))
        total += dupes.height
        errors += [
            RowError(line, "source_id", ERR_DUPLICATE.format(first=f))
            for line, f in dupes.select("_line", "_first").head(MAX_ERRORS).iter_rows()
        ]
    if errors:
        errors.sort(key=lambda e: (e.line, e.field))
        raise FileError(errors[:MAX_ERRORS], total=total)
    return frame.select("_line", *mapping.columns)
