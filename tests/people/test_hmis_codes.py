"""The HMIS value lists in offramp/people/hmis.py match the HUD FY2026 CSV specification files."""

import csv

from offramp.people import hmis
from tests.standards import standard_file


def _rows(name):
    with open(standard_file("hmis-csv-fy2026", name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_it_uses_the_list_each_client_column_uses():
    expected = {
        row["column"]: row["list_code"] for row in _rows("column_lists.csv") if row["file"] == "Client"
    }
    for column, (list_code, _choices) in hmis.CLIENT_COLUMN_LISTS.items():
        assert expected[column] == list_code, column


def test_it_has_every_code_and_label_of_those_lists():
    lists = {}
    for row in _rows("valuelists.csv"):
        if row["code"].isdigit():
            lists.setdefault(row["list_code"], {})[int(row["code"])] = row["label"]
    for column, (list_code, choices) in hmis.CLIENT_COLUMN_LISTS.items():
        assert dict(choices.choices) == lists[list_code], column


def test_it_names_the_race_columns_of_the_client_file_in_order():
    columns = [row["column"] for row in _rows("columns.csv") if row["file"] == "Client"]
    ours = [column for column, _label in hmis.RACE_FIELDS.values()]
    positions = [columns.index(column) for column in ours]
    assert positions == sorted(positions)
    assert columns[positions[0] : positions[-1] + 1] == ours
