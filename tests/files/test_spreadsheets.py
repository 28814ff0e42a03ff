"""A spreadsheet export reads like its CSV: the same mapping, rows numbered as the spreadsheet shows them,
date cells read as dates whatever the mapping's text format, and a file that is not a spreadsheet refused."""

import datetime as dt

import polars as pl
import pytest

from offramp.files.problems import InvalidFile
from offramp.files.table import read_table
from tests.files.test_mapped_tables import MAPPING, SCHEMA

ROWS = {
    "ID": ["a1", "b2"],
    "BORN": [dt.date(1980, 5, 17), None],
    "SEEN": ["2024-01-02", "2024-02-03"],  # a text cell in the mapping's format
    "MONTHS": [6, 7],
    "GRAMS": [0.5, None],
    "ACTIVE": ["yes", "n"],
    "KIND": ["arrest", None],
    "ARM": ["lead", None],
    "NOTE": ["hello", "   "],
}


def sheet(tmp_path, rows=ROWS, name="caseload.xlsx"):
    path = tmp_path / name
    pl.DataFrame(rows, strict=False).write_excel(path)
    return path


def test_it_reads_an_xlsx_export_as_the_same_typed_frame_as_its_csv(tmp_path):
    frame = read_table(sheet(tmp_path), MAPPING)
    assert frame.columns == ["line", *[f.name for f in SCHEMA.fields]]
    assert frame.row(0) == (
        2,
        "A1",
        dt.date(1980, 5, 17),
        dt.date(2024, 1, 2),
        6,
        0.5,
        True,
        "arrest",
        "lead",
        "hello",
    )
    assert frame.row(1) == (3, "B2", None, dt.date(2024, 2, 3), 7, None, False, None, None, None)


def test_it_names_the_spreadsheet_row_and_column_of_a_bad_cell(tmp_path):
    rows = {**ROWS, "MONTHS": [6, "six"], "SEEN": ["2024-01-02", "02/03/2024"]}
    with pytest.raises(InvalidFile) as raised:
        read_table(sheet(tmp_path, rows), MAPPING)
    assert raised.value.messages == [
        "caseload.xlsx, line 3, months (column 'MONTHS'): 'six' is not a whole number from 0 to 1200",
        "caseload.xlsx, line 3, seen (column 'SEEN'): '02/03/2024' is not a date in the format %Y-%m-%d",
    ]


def test_it_names_a_missing_column_of_a_spreadsheet(tmp_path):
    rows = {k: v for k, v in ROWS.items() if k != "KIND"}
    with pytest.raises(InvalidFile) as raised:
        read_table(sheet(tmp_path, rows), MAPPING)
    assert raised.value.messages[0].startswith(
        "caseload.xlsx, kind (column 'KIND'): the file has no such column"
    )


def test_it_refuses_a_file_named_as_a_spreadsheet_that_is_not_one(tmp_path):
    path = tmp_path / "caseload.xlsx"
    path.write_bytes(b"ID,BORN\na1,1980-05-17\n")
    with pytest.raises(InvalidFile, match=r"^caseload.xlsx: could not be read as spreadsheet: "):
        read_table(path, MAPPING)
