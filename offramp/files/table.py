"""Reading a mapped export (CSV, Parquet or a spreadsheet) column-wise into a typed frame, or every problem.

Each mapped column is read as text, trimmed (an empty cell is no value), recoded, converted and
checked with polars expressions over the whole column, never row by row; only the failing rows are
pulled out to name them. A file with any bad cell raises InvalidFile, so it loads whole or not at all.
Lines: a CSV's header is line 1, so its first row is line 2; a Parquet file's first row is line 1.
Line numbers assume no quoted cell spans lines (records-system exports do not). A spreadsheet
(.xlsx, .xls, .ods) is read from its first sheet, header in row 1, so its rows are numbered as the
spreadsheet numbers them; a cell the spreadsheet holds as a date is read as that date whatever the
mapping's format, since the person saw a date, not text.

>>> schema = Schema("people", (Field("source_id", required=True, unique=True), Field("dob", "date")))
>>> mapping = ColumnMapping(schema, columns={"source_id": "ID", "dob": "Born"}, formats={"dob": "%d.%m.%Y"})
>>> try:
...     read_table(b"ID,Born\\nS1,17.05.1980\\nS1,1980-05-17\\n", mapping, file="p.csv")
... except InvalidFile as exc:
...     print(*exc.messages, sep="\\n")
p.csv, line 3, dob (column 'Born'): '1980-05-17' is not a date in the format %d.%m.%Y
p.csv, line 3, source_id (column 'ID'): 'S1' is already on line 2
>>> read_table(b"ID,Born\\nS1,17.05.1980\\n", mapping, file="p.csv").row(0)
(2, 'S1', datetime.date(1980, 5, 17))
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from fastexcel import FastExcelError

from offramp.files.documents import EARLIEST, LATEST
from offramp.files.mapping import ColumnMapping, Field, Schema
from offramp.files.problems import MAX_SHOWN, InvalidFile, Problem

__all__ = ["ColumnMapping", "Field", "Schema", "read_table"]

TRUE = ("true", "t", "yes", "y", "1")
FALSE = ("false", "f", "no", "n", "0")
PARQUET = (".parquet", ".pq")
SPREADSHEET = (".xlsx", ".xls", ".ods")
# How the spreadsheet reader (calamine) writes a date cell as text.
SHEET_DATE = "%Y-%m-%d %H:%M:%S"

ERR_READ = "could not be read as {format}: {error}"
ERR_NO_COLUMN = "the file has no such column; its columns are: {columns}"
ERR_EMPTY = "has no rows"
P_REQUIRED = "is required"
P_NOT = "{value} is not {describe}"
P_CODE = "{value} is not a known code; expected one of {codes}"
P_LONG = "is longer than {n} characters"
P_NUL = "contains a NUL character"
P_DATE_RANGE = "{value} is outside the dates offramp accepts ({earliest} to {latest})"
P_DUPLICATE = "{value} is already on line {first}"
P_AFTER = "{value} is after the {other} ({other_value})"


def _shown(value: object) -> str:
    """A cell as a message quotes it: repr, shortened (a megabyte cell is not echoed back)."""
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def describe(field: Field, fmt: str) -> str:
    """What a good value of the field is, in words."""
    if field.describe:
        return field.describe
    if field.kind in ("date", "time"):
        return f"a {field.kind} in the format {fmt}"
    if field.kind in ("int", "number"):
        what = "a whole number" if field.kind == "int" else "a number"
        if field.high is None:
            return f"{what} of {field.low:g} or more" if field.low is not None else what
        return f"{what} from {field.low:g} to {field.high:g}"
    if field.kind == "bool":
        return "true or false"
    if field.kind == "choice":
        return "one of " + ", ".join(field.choices)
    return f"a value matching {field.pattern}"


def _kind(file: str) -> str:
    suffix = Path(file).suffix.lower()
    return "Parquet" if suffix in PARQUET else "spreadsheet" if suffix in SPREADSHEET else "CSV"


def _read_sheet(source: Path | bytes) -> pl.DataFrame:
    """The first sheet, every cell as text (None where empty)."""
    return pl.read_excel(source, engine="calamine", infer_schema_length=0)


def _read_text(source: Path | bytes, mapping: ColumnMapping, file: str) -> tuple[pl.DataFrame, int]:
    """The mapped columns as text, plus the line of the first row; every problem of the file as a whole."""
    kind = _kind(file)
    parquet = kind == "Parquet"
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    wanted = list(dict.fromkeys(mapping.columns.values()))
    try:
        sheet = _read_sheet(source) if kind == "spreadsheet" else None
        if sheet is not None:
            header = sheet.columns
        elif parquet:
            header = list(pl.read_parquet_schema(data))
        else:
            header = pl.read_csv(data, n_rows=0, infer_schema=False).columns
        missing = [
            Problem(ERR_NO_COLUMN.format(columns=", ".join(header)), file=file, field=name, column=column)
            for name, column in mapping.columns.items()
            if column not in header
        ]
        if missing:
            raise InvalidFile(missing)
        if isinstance(data, io.BytesIO):
            data.seek(0)
        if sheet is not None:
            raw = sheet.select(wanted)
        elif parquet:
            raw = pl.read_parquet(data, columns=wanted).with_columns(pl.all().cast(pl.String))
        else:
            raw = pl.read_csv(data, columns=wanted, infer_schema=False, encoding="utf8")
    except (pl.exceptions.PolarsError, FastExcelError, UnicodeDecodeError, OSError) as exc:
        error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = ERR_READ.format(format=kind, error=error)
        raise InvalidFile([Problem(message, file=file)]) from None
    if raw.height == 0:
        raise InvalidFile([Problem(ERR_EMPTY, file=file)])
    return raw, 1 if parquet else 2


class _Checks:
    """The checks of a file: (field, failing-row expression, message for a failing value)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, pl.Expr, object]] = []

    def add(self, name: str, bad: pl.Expr, message) -> None:
        """`message`: text, or a function of the raw value (and the other column's, for `not_after`)."""
        self.items.append((name, bad.fill_null(False), message))


def _typed(
    name: str, field: Field, col: pl.Expr, mapping: ColumnMapping, checks: _Checks, sheet: bool
) -> pl.Expr:
    """The column converted to its kind, adding the checks of its values."""
    fmt = mapping.format(name) if field.kind in ("date", "time") else ""
    good = describe(field, fmt)

    def bad_value(value: str) -> str:
        return P_NOT.format(value=_shown(value), describe=good)

    present = col.is_not_null()
    if field.kind in ("date", "time"):
        dtype = pl.Date if field.kind == "date" else pl.Time
        parsed = col.str.strptime(dtype, fmt, strict=False)
        if sheet and field.kind == "date":
            parsed = pl.coalesce(parsed, col.str.strptime(pl.Datetime, SHEET_DATE, strict=False).dt.date())
        checks.add(name, present & parsed.is_null(), bad_value)
        if field.kind == "date":
            outside = (parsed < EARLIEST) | (parsed > LATEST)
            checks.add(
                name,
                outside,
                lambda v: P_DATE_RANGE.format(value=_shown(v), earliest=EARLIEST, latest=LATEST),
            )
        return parsed
    if field.kind in ("int", "number"):
        parsed = col.cast(pl.Int64 if field.kind == "int" else pl.Float64, strict=False)
        wrong = parsed.is_null()
        if field.kind == "number":
            wrong = wrong | parsed.is_infinite() | parsed.is_nan()
        if field.low is not None:
            wrong = wrong | (parsed < field.low)
        if field.high is not None:
            wrong = wrong | (parsed > field.high)
        checks.add(name, present & wrong, bad_value)
        return parsed
    if field.kind == "bool":
        low = col.str.to_lowercase()
        parsed = pl.when(low.is_in(TRUE)).then(True).when(low.is_in(FALSE)).then(False).otherwise(None)
        checks.add(name, present & parsed.is_null(), bad_value)
        return parsed
    if field.kind == "choice":
        checks.add(name, present & ~col.is_in(field.choices), bad_value)
    elif field.kind == "pattern":
        checks.add(name, present & ~col.str.contains(field.pattern), bad_value)
    elif name not in mapping.values or not mapping.schema.complete_values:
        checks.add(name, col.str.contains("\x00", literal=True), P_NUL)  # PostgreSQL refuses NUL in text
    if field.max_length is not None:
        checks.add(name, col.str.len_chars() > field.max_length, P_LONG.format(n=field.max_length))
    return col.str.to_uppercase() if field.upper else col


def read_table(source: Path | bytes, mapping: ColumnMapping, *, file: str = "") -> pl.DataFrame:
    """The file's rows as `line` plus one typed column per mapped field; raises InvalidFile.

    `source` is a path or the file's bytes; `file` names it in messages (and, by its suffix, says
    whether it is Parquet, `.parquet` or `.pq`, or a spreadsheet, `.xlsx`, `.xls` or `.ods`; anything
    else is read as CSV).
    """
    file = file or (source.name if isinstance(source, Path) else "")
    raw, first_line = _read_text(source, mapping, file)
    sheet = _kind(file) == "spreadsheet"
    schema = mapping.schema
    text = raw.select(
        pl.int_range(first_line, raw.height + first_line, dtype=pl.UInt32).alias("line"),
        *[
            pl.col(column).str.strip_chars().replace("", None).alias(name)
            for name, column in mapping.columns.items()
        ],
    )
    checks = _Checks()
    typed: list[pl.Expr] = [pl.col("line")]
    for name in mapping.columns:
        field = schema.field(name)
        col = pl.col(name)
        if field.required:
            checks.add(name, col.is_null(), P_REQUIRED)
        if name in mapping.values:
            codes = mapping.values[name]
            if schema.complete_values:
                known = ", ".join(sorted(codes))
                checks.add(
                    name,
                    col.is_not_null() & ~col.is_in(list(codes)),
                    lambda v, known=known: P_CODE.format(value=_shown(v), codes=known),
                )
                col = col.replace_strict(codes, default=None, return_dtype=pl.String)
            else:
                col = col.replace(codes)
        typed.append(_typed(name, field, col, mapping, checks, sheet).alias(name))

    # One pass computes every check; only the failing rows are pulled out to name them.
    flags = text.select(pl.col("line"), *[bad.alias(f"bad{i}") for i, (_, bad, _) in enumerate(checks.items)])
    total = sum(flags.select(pl.all().exclude("line").sum()).row(0)) if checks.items else 0
    problems: list[Problem] = []
    for i, (name, _bad, message) in enumerate(checks.items):
        failing = text.filter(flags[f"bad{i}"]).head(MAX_SHOWN).select("line", name)
        for line, value in failing.iter_rows():
            problems.append(
                Problem(
                    message(value) if callable(message) else message,
                    file=file,
                    where=line,
                    field=name,
                    column=mapping.columns[name],
                )
            )
    frame = text.select(typed)
    for field in schema.fields:
        if field.name in frame.columns:
            if field.unique:
                total += _repeats(frame, field.name, mapping, file, problems)
            if field.not_after in frame.columns:
                total += _after(frame, field, mapping, file, problems)
    if problems:
        raise InvalidFile(problems, total=total)
    return frame


def _repeats(frame: pl.DataFrame, name: str, mapping: ColumnMapping, file: str, problems: list) -> int:
    numbered = frame.select("line", name).drop_nulls()
    firsts = numbered.with_columns(pl.col("line").min().over(name).alias("first"))
    repeats = firsts.filter(pl.col("line") != pl.col("first"))
    problems += [
        Problem(
            P_DUPLICATE.format(value=_shown(value), first=first),
            file=file,
            where=line,
            field=name,
            column=mapping.columns[name],
        )
        for line, value, first in repeats.head(MAX_SHOWN).iter_rows()
    ]
    return repeats.height


def _after(frame: pl.DataFrame, field: Field, mapping: ColumnMapping, file: str, problems: list) -> int:
    other = field.not_after
    # Dates outside the plausible range are named as such already.
    late = frame.filter((pl.col(field.name) > pl.col(other)) & (pl.col(field.name) <= LATEST))
    late = late.select("line", field.name, other)
    problems += [
        Problem(
            P_AFTER.format(value=_shown(value), other=other, other_value=other_value),
            file=file,
            where=line,
            field=field.name,
            column=mapping.columns[field.name],
        )
        for line, value, other_value in late.head(MAX_SHOWN).iter_rows()
    ]
    return late.height
