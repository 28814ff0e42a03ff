"""Protocol files validate with errors that name the field path."""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from offramp.files.problems import InvalidFile
from offramp.referrals import eligibility, protocol
from offramp.referrals.protocol import from_dict, parse_toml, parse_yaml

MINIMAL = """
program = "test_site"
version = 3
label = "Test"

[authority]
arrest = "officer"
social_contact = "sergeant"
community = "project_manager"

[[offences]]
statute = "X 1"
nibrs = "35A"
label = "Possession"
"""


def _minimal() -> dict:
    return protocol.to_dict(parse_toml(MINIMAL))


def _errors(data: dict) -> list[str]:
    with pytest.raises(InvalidFile) as info:
        from_dict(data)
    return info.value.messages


def test_it_loads_the_shipped_examples():
    for name in ("seattle", "santa_fe", "san_francisco"):
        p = protocol.example(name)
        assert p.program == name
        assert p.version == 1
        assert p.version_label == f"{name} v1"


def test_it_fills_in_defaults():
    p = parse_toml(MINIMAL)
    assert p.format == protocol.FORMAT
    assert p.intake_window_days == 30
    assert p.doors == protocol.DOORS
    assert p.offences[0].doors == protocol.DOORS
    assert p.quantity is None and p.prior_activity is None
    assert p.age == protocol.AgeLimits()


def test_it_names_an_unknown_nibrs_code_by_path():
    data = _minimal()
    data["offences"] += [
        {"statute": "X 2", "nibrs": "40A", "label": "b"},
        {"statute": "X 3", "nibrs": "99Z", "label": "c"},
    ]
    assert _errors(data) == ["offences[2].nibrs: unknown NIBRS code '99Z'"]


def test_it_refuses_a_retired_nibrs_code():
    data = _minimal()
    data["offences"][0]["nibrs"] = "90I"
    assert _errors(data) == ["offences[0].nibrs: NIBRS code '90I' is retired"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("version"), "version: required"),
        (lambda d: d.update(version="3"), "version: expected an integer, got string"),
        (lambda d: d.update(version=True), "version: expected an integer, got boolean"),
        (lambda d: d.update(version=0), "version: must be greater than 0"),
        (lambda d: d.update(format=2), "format: unsupported format 2; this version reads format 1"),
        (lambda d: d.update(program="Seattle!"), f"program: {protocol.ERR_ID}"),
        (lambda d: d.update(label="  "), "label: must not be empty"),
        (lambda d: d.update(colour="red"), "colour: unknown field"),
        (lambda d: d["offences"][0].update(nibr="35A"), "offences[0].nibr: unknown field"),
        (lambda d: d["offences"][0].pop("label"), "offences[0].label: required"),
        (lambda d: d.update(offences=[]), "offences: must not be empty"),
        (lambda d: d.update(offences={"a": 1}), "offences: expected a list, got table"),
        (lambda d: d.update(offences=["x"]), "offences[0]: expected a table, got string"),
        (
            lambda d: d.update(doors=["arrest", "bus"]),
            "doors[1]: unknown door 'bus'; expected one of arrest, social_contact, community",
        ),
        (lambda d: d.update(doors=["arrest", "arrest"]), "doors: duplicate door 'arrest'"),
        (lambda d: d.update(intake_window_days=0), "intake_window_days: must be between 1 and 365"),
        (lambda d: d.update(age={"min": 30, "max": 20}), "age: min must not exceed max"),
        (lambda d: d.update(age={"min": -1}), "age.min: must be between 0 and 130"),
        (lambda d: d.update(effective_from="2024-01-01"), "effective_from: expected a date, got string"),
        (
            lambda d: d["authority"].pop("community"),
            "authority: door 'community' is open but authority.community (who decides) is not set",
        ),
        (
            lambda d: d["authority"].update(final="mayor"),
            "authority.final: unknown role 'mayor'; expected one of "
            "officer, sergeant, project_manager, prosecutor",
        ),
        (
            lambda d: d.update(quantity={"max_grams": 3, "applies_to": []}),
            "quantity.applies_to: must not be empty",
        ),
        (
            lambda d: d.update(quantity={"max_grams": 0, "applies_to": ["35A"]}),
            "quantity.max_grams: must be greater than 0",
        ),
        (
            lambda d: d.update(quantity={"max_grams": float("nan"), "applies_to": ["35A"]}),
            "quantity.max_grams: must be greater than 0",
        ),
        (
            lambda d: d.update(
                quantity={"max_grams": 3, "applies_to": ["35A"], "exempt_substances": ["pills"]}
            ),
            "quantity.exempt_substances[0]: unknown substance 'pills'; expected one of "
            + ", ".join(protocol.SUBSTANCES),
        ),
        (
            lambda d: d.update(history=[{"id": "v", "label": "x", "classes": ["120"], "years": 0}]),
            "history[0].years: must be between 1 and 100",
        ),
        (
            lambda d: d.update(history=[{"id": "v", "label": "x", "classes": ["12O"]}]),
            "history[0].classes[0]: unknown NIBRS code '12O'",
        ),
        (
            lambda d: d.update(history=[{"id": "v", "label": "x", "classes": ["120"], "counts": ["rumour"]}]),
            "history[0].counts[0]: unknown disposition 'rumour'; expected one of conviction, open, arrest",
        ),
        (
            lambda d: d.update(history=[{"id": "v", "label": "x", "classes": ["120"]}] * 2),
            "history[1].id: duplicate id 'v'",
        ),
        (
            lambda d: d.update(
                conditions=[{"id": "c", "label": "x", "fact": "schol_zone", "require": False}]
            ),
            "conditions[0].fact: unknown fact 'schol_zone'; "
            "use one of the known facts or declare it under extra_facts",
        ),
        (
            lambda d: d.update(judgements=[{"id": "c", "label": "x", "fact": "amenable", "require": "yes"}]),
            "judgements[0].require: expected true or false, got string",
        ),
        (
            lambda d: d.update(
                conditions=[
                    {"id": "c", "label": "x", "fact": "school_zone", "require": False, "statutes": ["Y 9"]}
                ]
            ),
            "conditions[0].statutes[0]: statute 'Y 9' is not among this protocol's offences",
        ),
        (
            lambda d: d.update(
                conditions=[{"id": "c", "label": "x", "fact": "school_zone", "require": False, "doors": []}]
            ),
            "conditions[0].doors: must not be empty",
        ),
        (
            lambda d: d.update(extra_facts=[{"name": "amenable", "question": "?"}]),
            "extra_facts[0].name: 'amenable' is already a fact; choose another name",
        ),
        (
            lambda d: d.update(extra_facts=[{"name": "door", "question": "?"}]),
            "extra_facts[0].name: 'door' is already a fact; choose another name",
        ),
        (
            lambda d: d.update(prior_activity={"methods": ["hearsay"]}),
            "prior_activity.methods[0]: unknown verification method 'hearsay'; expected one of "
            "records_check, observation, credible_report",
        ),
    ],
)
def test_it_reports_each_mistake_with_its_path(change, expected):
    data = _minimal()
    change(data)
    assert expected in _errors(data)


def test_it_reports_every_error_at_once():
    data = _minimal()
    data["version"] = 0
    data["offences"][0]["nibrs"] = "99Z"
    assert len(_errors(data)) == 2


def test_it_accepts_custom_facts_declared_by_the_site():
    data = _minimal()
    data["extra_facts"] = [{"name": "veteran", "question": "Is the person a veteran?"}]
    data["conditions"] = [{"id": "vet", "label": "A veteran", "fact": "veteran", "require": True}]
    p = from_dict(data)
    assert p.question("veteran") == "Is the person a veteran?"
    assert p.question("amenable") == protocol.KNOWN_FACTS["amenable"]


def test_it_reads_dates_and_integer_grams():
    p = parse_toml("effective_from = 2024-07-01\n" + MINIMAL)
    assert p.effective_from == dt.date(2024, 7, 1)
    q = parse_toml(
        MINIMAL.replace("[authority]", '[quantity]\nmax_grams = 3\napplies_to = ["35A"]\n\n[authority]')
    )
    assert q.quantity.max_grams == 3.0 and isinstance(q.quantity.max_grams, float)


def test_it_refuses_a_datetime_where_a_date_is_expected():
    data = _minimal()
    data["effective_from"] = dt.datetime(2024, 1, 1, 12, 0)
    assert _errors(data) == ["effective_from: expected a date, got datetime"]


def test_it_turns_syntax_errors_into_protocol_errors():
    with pytest.raises(InvalidFile, match="is not valid TOML: "):
        parse_toml("program = ")
    with pytest.raises(InvalidFile, match="is not valid YAML: "):
        parse_yaml("program: [")
    with pytest.raises(InvalidFile, match="protocol: expected a table, got list"):
        parse_yaml("- 1")


def test_it_reads_yaml_the_same_as_toml():
    p = protocol.example("san_francisco")
    assert parse_yaml(protocol.to_yaml(p)) == p


def test_it_keeps_fact_field_names_in_step_with_the_engine():
    names = {f.name for f in dataclasses.fields(eligibility.Facts)} - {"flags"}
    assert set(protocol.FACT_FIELDS) == names


def test_it_loads_from_a_path_by_suffix(tmp_path):
    p = protocol.example("seattle")
    (tmp_path / "p.yaml").write_text(protocol.to_yaml(p), encoding="utf-8")
    (tmp_path / "p.toml").write_text(protocol.to_toml(p), encoding="utf-8")
    assert protocol.load(tmp_path / "p.yaml") == p == protocol.load(tmp_path / "p.toml")


def test_it_parses_the_annotated_example_in_the_docs():
    doc = Path(__file__).resolve().parents[2] / "docs" / "eligibility.md"
    block = re.search(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S).group(1)
    p = parse_toml(block)
    assert p.program == "santa_fe" and p.version == 2
    assert p.judgements[0].id == "amenable"
