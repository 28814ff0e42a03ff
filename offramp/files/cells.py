"""Cells that leave offramp in a CSV file, safe to open in a spreadsheet. No Django.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a leading tab
or carriage return can hide one), so a participant's name or a service's description typed as
`=HYPERLINK(...)` would run on the reader's machine (OWASP "CSV injection"). Every CSV writer
in offramp goes through `csv_writer` / `safe_cell` / `safe_frame`, which put an apostrophe in
front of such a cell: the spreadsheet shows the text as typed and runs nothing. Plain numbers
(`-0.25`, `+3`, `1e-5`) are left alone, so negative gaps and ratios stay numbers.
`unsafe_cell` undoes it for offramp's own readers, so its exports import back unchanged.

>>> safe_cell("=1+1"), safe_cell("-0.25"), safe_cell("@SUM(A1)"), safe_cell("\\tx"), safe_cell(3)
("'=1+1", '-0.25', "'@SUM(A1)", "'\\tx", 3)
>>> unsafe_cell(safe_cell("+44 20 7946 0000")), unsafe_cell("'plain")
('+44 20 7946 0000', "'plain")
"""

from __future__ import annotations

import csv
import re
from typing import Any

import polars as pl

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_TRIGGER_START = r"^[=+\-@\t\r]"


def _needs_quote(text: str) -> bool:
    return text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """The value, with an apostrophe in front when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """The cell as it was before `safe_cell`, for reading offramp's own exports back."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


class _SafeWriter:
    """csv.writer whose rows pass through `safe_cell`."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options) -> _SafeWriter:
    """A `csv.writer` for files people open in spreadsheets."""
    return _SafeWriter(out, **options)


def csv_dict_writer(out, fieldnames, *, restval="", **options) -> csv.DictWriter:
    """A `csv.DictWriter` whose cells pass through `safe_cell`; `options` are the csv dialect's."""
    writer = csv.DictWriter(out, fieldnames=fieldnames, restval=restval, **options)
    writer.writer = _SafeWriter(out, **options)
    return writer


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text column passed through `safe_cell`, for `write_csv`."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(
            pl.col(name).str.contains(_TRIGGER_START) & ~pl.col(name).str.contains(f"^{_NUMBER.pattern}$")
        )
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
