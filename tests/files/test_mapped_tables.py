"""A mapped CSV or Parquet export reads column-wise into a typed frame, or names every bad cell."""

import datetime as dt
import io
import zipfile

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offramp.files.archives import read_zip
from offramp.files.mapping import ColumnMapping, Field, Schema, mapping_from_toml
from offramp.files.problems import MAX_SHOWN, InvalidFile
from offramp.files.table import read_table

SCHEMA = Schema(
    "people",
    (
        Field("id", required=True, unique=True, upper=True, max_length=8),
        Field("born", "date", not_after="seen"),
        Field("seen", "date"),
        Field("months", "int", low=0, high=1200),
        Field("grams", "number", low=0),
        Field("active", "bool"),
        Field("kind", "choice", choices=("arrest", "booking")),
        Field("arm", "pattern", pattern=r"^[a-z]+$", describe="a lowercase name"),
        Field("note"),
    ),
)
COLUMNS = {f.name: f.name.upper() for f in SCHEMA.fields}
MAPPING = ColumnMapping(SCHEMA, columns=COLUMNS)
HEADER = ",".join(COLUMNS.values())
OUTSIDE = "is outside the dates offramp accepts (1900-01-01 to 2199-12-31)"
GOOD = "a1,1980-05-17,2024-01-02,6,0.5,yes,arrest,lead,hello"


def read(*rows: str, mapping=MAPPING, file="p.csv"):
    return read_table(("\n".join([HEADER, *rows]) + "\n").encode(), mapping, file=file)


def problems(*rows: str, **kwargs) -> list[str]:
    with pytest.raises(InvalidFile) as raised:
        read(*rows, **kwargs)
    return raised.value.messages


def test_it_reads_each_field_as_its_kind():
    frame = read(GOOD, "b2,,,,,n,,,")
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
    assert frame.row(1) == (3, "B2", None, None, None, None, False, None, None, None)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("born", "17/05/1980", "born (column 'BORN'): '17/05/1980' is not a date in the format %Y-%m-%d"),
        (
            "seen",
            "9999-12-31",
            f"seen (column 'SEEN'): '9999-12-31' {OUTSIDE}",
        ),
        (
            "born",
            "1850-01-01",
            f"born (column 'BORN'): '1850-01-01' {OUTSIDE}",
        ),
        ("born", "2025-01-01", "born (column 'BORN'): '2025-01-01' is after the seen (2024-01-02)"),
        (
            "months",
            "99999999999",
            "months (column 'MONTHS'): '99999999999' is not a whole number from 0 to 1200",
        ),
        (
            "months",
            "99999999999999999999999",
            "months (column 'MONTHS'): '99999999999999999999999' is not a whole number from 0 to 1200",
        ),
        ("months", "-6", "months (column 'MONTHS'): '-6' is not a whole number from 0 to 1200"),
        ("grams", "inf", "grams (column 'GRAMS'): 'inf' is not a number of 0 or more"),
        ("grams", "NaN", "grams (column 'GRAMS'): 'NaN' is not a number of 0 or more"),
        ("active", "maybe", "active (column 'ACTIVE'): 'maybe' is not true or false"),
        ("kind", "taser", "kind (column 'KIND'): 'taser' is not one of arrest, booking"),
        ("arm", "Mars Colony", "arm (column 'ARM'): 'Mars Colony' is not a lowercase name"),
        ("note", "a\x00b", "note (column 'NOTE'): contains a NUL character"),
        ("id", "", "id (column 'ID'): is required"),
        ("id", "x" * 9, "id (column 'ID'): is longer than 8 characters"),
    ],
)
def test_it_names_the_line_field_and_column_of_a_bad_cell(column, value, message):
    cells = dict(zip(COLUMNS, GOOD.split(","), strict=True))
    cells[column] = value
    assert problems(GOOD.replace("a1", "z9"), ",".join(cells.values())) == [f"p.csv, line 3, {message}"]


def test_it_names_a_repeated_key_with_its_first_line_whatever_the_case():
    assert problems(GOOD, GOOD.replace("a1", " A1 ")) == [
        "p.csv, line 3, id (column 'ID'): 'A1' is already on line 2"
    ]


def test_it_shortens_a_huge_cell_in_its_message():
    (message,) = problems(GOOD.replace(",lead,", "," + "X" * 1_000_000 + ","))
    assert len(message) < 200 and message.endswith("...' is not a lowercase name")


def test_it_counts_every_bad_cell_but_shows_at_most_max_shown():
    rows = [GOOD.replace("a1", f"r{i}").replace(",6,", ",-1,") for i in range(MAX_SHOWN + 30)]
    messages = problems(*rows)
    assert len(messages) == MAX_SHOWN + 1 and messages[-1] == "... and 30 more problems."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ID\nx\n", "p.csv, born (column 'BORN'): the file has no such column; its columns are: ID"),
        (HEADER.encode() + b"\n", "p.csv: has no rows"),
        (b"ID,BORN\n\xff\xfe,1\n", "p.csv: could not be read as CSV"),
    ],
)
def test_it_refuses_a_file_it_cannot_use(data, message):
    mapping = ColumnMapping(SCHEMA, columns={"id": "ID", "born": "BORN"}) if b"ID" in data[:3] else MAPPING
    with pytest.raises(InvalidFile) as raised:
        read_table(data, mapping, file="p.csv")
    assert raised.value.messages[0].startswith(message)


def test_it_reads_parquet_by_name_with_rows_from_one(tmp_path):
    frame = pl.read_csv(
        io.BytesIO((HEADER + "\n" + GOOD + "\n" + GOOD.replace("a1", "b2").replace(",6,", ",x,")).encode()),
        infer_schema=False,
    )
    frame.write_parquet(tmp_path / "p.parquet")
    with pytest.raises(InvalidFile) as raised:
        read_table(tmp_path / "p.parquet", MAPPING)
    assert raised.value.messages == [
        "p.parquet, line 2, months (column 'MONTHS'): 'x' is not a whole number from 0 to 1200"
    ]
    (tmp_path / "p.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InvalidFile, match="^p.parquet: could not be read as Parquet"):
        read_table(tmp_path / "p.parquet", MAPPING)


def test_it_recodes_completely_or_partly_as_the_schema_says():
    complete = Schema("s", (Field("id"), Field("race")), complete_values=True)
    partial = Schema("s", (Field("id"), Field("race")))
    values = {"race": {"B": "Black", "W": "White"}}
    data = b"id,race\n1,B\n2,Q\n"
    columns = {"id": "id", "race": "race"}
    with pytest.raises(InvalidFile, match="'Q' is not a known code; expected one of B, W"):
        read_table(data, ColumnMapping(complete, columns=columns, values=values), file="a.csv")
    assert read_table(data, ColumnMapping(partial, columns=columns, values=values))["race"].to_list() == [
        "Black",
        "Q",
    ]


CELLS = st.lists(st.tuples(st.integers(0, 1200), st.booleans()), min_size=1, max_size=40)


@settings(max_examples=50)
@given(CELLS)
def test_it_names_exactly_the_lines_whose_cells_are_bad(cells):
    schema = Schema("s", (Field("n", "int", low=0, high=1200),))
    rows = [str(n) if good else f"{n}x" for n, good in cells]
    data = ("n\n" + "\n".join(rows) + "\n").encode()
    bad_lines = [i + 2 for i, (_, good) in enumerate(cells) if not good]
    mapping = ColumnMapping(schema, columns={"n": "n"})
    if not bad_lines:
        assert read_table(data, mapping)["n"].to_list() == [n for n, _ in cells]
        return
    with pytest.raises(InvalidFile) as raised:
        read_table(data, mapping)
    assert [p.where for p in raised.value.problems] == bad_lines[:MAX_SHOWN]
    assert raised.value.total == len(bad_lines)


BAD_MAPPING = '[columns]\nborn = "B"\nweight = "W"\n[formats]\nnote = "%Y"\n[values.kind]\nA = "arrest"\n'
UNKNOWN = (
    "columns.weight: unknown field; expected one of id, born, seen, months, grams, active, kind, arm, note"
)


def test_it_checks_the_shape_of_a_mapping_first():
    with pytest.raises(InvalidFile) as raised:
        mapping_from_toml(BAD_MAPPING + "[extra]\n", SCHEMA)
    assert raised.value.messages == ["extra: unknown field"]


def test_it_reports_every_rule_of_a_mapping_once_the_shape_is_right():
    with pytest.raises(InvalidFile) as raised:
        mapping_from_toml(
            '[columns]\nborn = "B"\nweight = "W"\n[formats]\nnote = "%Y"\n[values.kind]\nA = "arrest"\n',
            SCHEMA,
        )
    assert raised.value.messages == [
        "columns.id: required",
        UNKNOWN,
        "formats.note: only dates and times have a format (born, seen)",
        "values.kind: kind is not mapped to a column",
    ]


def test_it_picks_the_table_a_mapping_names():
    tables = {"people": SCHEMA, "events": Schema("events", (Field("id"),))}
    assert mapping_from_toml('[file]\ntable = "events"\n[columns]\nid = "X"', tables).table == "events"
    with pytest.raises(InvalidFile, match="^file.table: must be one of people, events$"):
        mapping_from_toml('[file]\ntable = "cars"\n', tables)
    with pytest.raises(InvalidFile, match="^file.table: required$"):
        mapping_from_toml("[columns]\n", tables)
    dated = mapping_from_toml('[file]\ndate_format = "%d.%m.%Y"\n[columns]\nid = "I"\nborn = "B"\n', SCHEMA)
    assert dated.format("born") == "%d.%m.%Y" and dated.format("seen") == "%Y-%m-%d"


def test_it_reads_a_zip_and_names_one_that_is_not(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("package/services.csv", "id\n")
    assert read_zip(buffer.getvalue()) == {"services.csv": b"id\n"}
    with pytest.raises(InvalidFile, match="^hsds.zip: would unpack to more than 0 KB$"):
        read_zip(buffer.getvalue(), file="hsds.zip", max_bytes=1)
    (tmp_path / "hsds.zip").write_text("plain text, not a zip")
    with pytest.raises(InvalidFile, match="^hsds.zip: is not a zip archive$"):
        read_zip(tmp_path / "hsds.zip")
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", "id,name\n" * 1000)
    data = bytearray(damaged.getvalue())
    data[60:70] = b"\xff" * 10  # inside the compressed member
    with pytest.raises(InvalidFile, match="^hsds.zip: is a damaged or unsupported zip archive"):
        read_zip(bytes(data), file="hsds.zip")
