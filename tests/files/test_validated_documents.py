"""Documents are checked against annotated dataclasses with pydantic; mistakes in offramp's words."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

import pytest

from offramp.files.problems import InvalidFile
from offramp.files.validating import Day, Flag, Number, Text, Whole, closed, rule, validated

OUTSIDE = "is outside the dates offramp accepts (1900-01-01 to 2199-12-31)"


@closed
@dataclass(frozen=True, kw_only=True)
class Arm:
    name: Annotated[Text, rule(lambda v: None if v.islower() else "must be lowercase")]
    share: Number = 1.0


@closed
@dataclass(frozen=True, kw_only=True)
class Study:
    months: Annotated[Whole, rule(lambda v: None if 1 <= v <= 600 else "must be between 1 and 600")]
    start: Day | None = None
    matched: Flag = False
    arms: tuple[Arm, ...]


def mistakes(data, **kwargs) -> list[str]:
    with pytest.raises(InvalidFile) as raised:
        validated(Study, data, **kwargs)
    return raised.value.messages


def test_it_builds_the_dataclasses_from_plain_data():
    study = validated(
        Study, {"months": 12, "start": dt.date(2020, 1, 1), "arms": [{"name": "lead", "share": 2}]}
    )
    assert study == Study(months=12, start=dt.date(2020, 1, 1), arms=(Arm(name="lead", share=2.0),))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"months": "12"}, "months: expected an integer, got string"),
        ({"months": True}, "months: expected an integer, got boolean"),
        ({"months": 99999999999}, "months: must be between 1 and 600"),
        ({"start": dt.datetime(2020, 1, 1)}, "start: expected a date, got datetime"),
        ({"start": "2020-01-01"}, "start: expected a date, got string"),
        (
            {"start": dt.date(9999, 12, 31)},
            "start: is outside the dates offramp accepts (1900-01-01 to 2199-12-31)",
        ),
        ({"matched": "yes"}, "matched: expected true or false, got string"),
        ({"arms": {"name": "x"}}, "arms: expected a list, got table"),
        ({"arms": ["x"]}, "arms[0]: expected a table, got string"),
        ({"arms": [{"name": "LEAD"}]}, "arms[0].name: must be lowercase"),
        ({"arms": [{"name": "lead", "colour": "red"}]}, "arms[0].colour: unknown field"),
        ({"arms": [{}]}, "arms[0].name: required"),
    ],
)
def test_it_names_each_mistake_at_its_path(change, message):
    assert mistakes({"months": 12, "arms": [{"name": "lead"}], **change}, file="s.toml") == [
        f"s.toml, {message}"
    ]


def test_it_reads_null_as_left_out_and_names_the_whole_document():
    assert validated(Study, {"months": 1, "start": None, "arms": []}).start is None
    assert mistakes([1], root="study") == ["study: expected a table, got list"]


def test_it_reports_rules_between_values_with_the_single_value_mistakes():
    def cross(study: Study) -> list[tuple[str, str]]:
        names = [a.name for a in study.arms]
        return [("arms", "names must be distinct")] if len(set(names)) < len(names) else []

    data = {"months": 0, "arms": [{"name": "a"}, {"name": "a"}]}
    with pytest.raises(InvalidFile) as raised:
        validated(Study, data, cross=cross)
    assert raised.value.messages == ["arms: names must be distinct", "months: must be between 1 and 600"]
    with pytest.raises(InvalidFile, match="^arms: names must be distinct$"):
        validated(Study, {**data, "months": 6}, cross=cross)
