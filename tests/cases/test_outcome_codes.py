"""The housing codes of outcome snapshots are HMIS CSV FY2026 list 4.12, code for code and label for label."""

import csv

from offramp.cases import outcomes
from tests.standards import standard_file


def _rows(name):
    with open(standard_file("hmis-csv-fy2026", name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_it_uses_the_list_the_current_living_situation_column_uses():
    list_name, list_code = outcomes.LIVING_SITUATION_LIST
    columns = {(r["file"], r["column"]): r["list_code"] for r in _rows("column_lists.csv")}
    assert columns[("CurrentLivingSituation", "CurrentLivingSituation")] == list_code
    assert {r["list_name"] for r in _rows("valuelists.csv") if r["list_code"] == list_code} == {list_name}


def test_it_has_every_code_and_label_of_that_list():
    _name, list_code = outcomes.LIVING_SITUATION_LIST
    published = {int(r["code"]): r["label"] for r in _rows("valuelists.csv") if r["list_code"] == list_code}
    assert dict(outcomes.LivingSituation.choices) == published


def test_it_groups_situations_by_the_hmis_hundreds():
    assert outcomes.housing_group(outcomes.LivingSituation.RENTAL_SUBSIDY) == "Permanent housing"
    assert outcomes.housing_group(outcomes.LivingSituation.NOT_FOR_HABITATION) == "Homeless"
    assert outcomes.housing_group(outcomes.LivingSituation.JAIL) == "Institutional"
    assert outcomes.housing_group(outcomes.LivingSituation.FAMILY) == "Temporary"
    assert outcomes.housing_group(outcomes.LivingSituation.NOT_COLLECTED) == "Not known"
    grouped = [code for _group, codes in outcomes.grouped_living_situations() for code, _label in codes]
    assert sorted(grouped) == sorted(outcomes.LivingSituation.values)
