"""The NIBRS table shipped in code must match the project's copy of the FBI list."""

import csv

from offramp.referrals import nibrs
from tests.standards import standard_file


def _rows() -> list[dict[str, str]]:
    with standard_file("nibrs", "nibrs_offenses.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_it_has_every_code_in_the_fbi_list_and_no_others():
    assert {row["code"] for row in _rows()} == set(nibrs.OFFENCES)


def test_it_matches_names_groups_and_status():
    for row in _rows():
        offence = nibrs.OFFENCES[row["code"]]
        assert offence.name == row["name"], row["code"]
        assert offence.group == row["group"], row["code"]
        assert offence.current == (row["status"] == "current"), row["code"]


def test_it_names_unknown_codes_by_the_code_itself():
    assert nibrs.name("35A") == "Drug/Narcotic Violations"
    assert nibrs.name("99Z") == "99Z"
    assert not nibrs.is_current("90I")
    assert not nibrs.is_current("99Z")
