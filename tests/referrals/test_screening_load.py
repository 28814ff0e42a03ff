"""Batch screening loads a file whole or not at all, and counts eligible, diverted and missed arrests."""

import pytest
from django.core.exceptions import ValidationError

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.referrals.actions import screening_run_create
from offramp.referrals.models import ScreenedArrest, ScreeningRun
from tests.referrals.screening_files import (
    ASSAULT,
    MAPPING,
    csv_bytes,
    project_manager,
    publish_seattle,
    row,
    set_incident,
)


def stored() -> tuple[int, int]:
    with trusted("tests"):
        return ScreeningRun.objects.count(), ScreenedArrest.objects.count()


@pytest.mark.parametrize(
    ("bad", "field", "problem"),
    [
        (
            row("A-4", date="2026-03-02"),
            "incident_date (column 'ArrestDate')",
            "'2026-03-02' is not a date in the format %m/%d/%Y",
        ),
        (row("A-4", grams="lots"), "quantity_grams (column 'NetWeightG')", "'lots' is not a number of grams"),
        (row("A-4", race="Z"), "race (column 'Race')", "'Z' is not a known code; expected one of B, I, W"),
        (row("A-4", statute=""), "statute (column 'ChargeCode')", "is required"),
        (row("A-1"), "incident_number (column 'IncidentNo')", "'A-1' is already on line 2"),
    ],
)
def test_it_names_the_line_and_field_of_a_bad_row_and_stores_nothing(world, bad, field, problem):
    publish_seattle(world)
    before = AuditEntry.objects.count()
    data = csv_bytes([row("A-1"), row("A-2"), row("A-3"), bad, row("A-5")])  # the bad row is on line 5
    with pytest.raises(ValidationError) as raised:
        screening_run_create(
            actor=project_manager(world), source=data, file_name="a.csv", mapping_text=MAPPING
        )
    assert len(raised.value.messages) == 1
    assert raised.value.messages[0].startswith(f"a.csv, line 5, {field}: {problem}")
    assert stored() == (0, 0)
    assert AuditEntry.objects.count() == before


def test_it_reports_every_bad_row_at_once(world):
    publish_seattle(world)
    data = csv_bytes([row("A-1", sex="Q"), row("A-2"), row("A-3", dob="01/01/1980")])
    with pytest.raises(ValidationError) as raised:
        screening_run_create(
            actor=project_manager(world), source=data, file_name="a.csv", mapping_text=MAPPING
        )
    assert [m.split(":")[0] for m in raised.value.messages] == [
        "a.csv, line 2, sex (column 'Sex')",
        "a.csv, line 4, date_of_birth (column 'DOB')",
    ]


def test_it_refuses_a_mapping_to_a_column_the_file_lacks(world):
    publish_seattle(world)
    mapping = MAPPING.replace('area = "Beat"', 'area = "Precinct"')
    with pytest.raises(ValidationError) as raised:
        screening_run_create(
            actor=project_manager(world),
            source=csv_bytes([row("A-1")]),
            file_name="a.csv",
            mapping_text=mapping,
        )
    assert raised.value.messages[0].startswith("a.csv, area (column 'Precinct'): the file has no such column")
    assert stored() == (0, 0)


def test_it_refuses_a_mapping_without_the_required_facts(world):
    publish_seattle(world)
    with pytest.raises(ValidationError) as raised:
        screening_run_create(
            actor=project_manager(world),
            source=csv_bytes([row("A-1")]),
            file_name="a.csv",
            mapping_text='[columns]\nstatute = "ChargeCode"\nweight = "NetWeightG"\n',
        )
    assert set(raised.value.messages) == {
        "columns.weight: unknown field; expected one of incident_number, statute, incident_date, "
        "offence_description, date_of_birth, age, quantity_grams, substance, incident_time, officer, unit, "
        "shift, area, race, ethnicity, sex",
        "columns.incident_number: required",
        "columns.incident_date: required",
    }


def test_it_counts_eligible_diverted_and_missed_arrests(world):
    publish_seattle(world)
    set_incident(world.own_case.referral_id, "a-1")  # matched whatever the case and spaces
    set_incident(world.other_case.referral_id, "B-9")
    data = csv_bytes(
        [
            row(" A-1 "),  # eligible on the record, diverted
            row("A-2"),  # eligible, missed
            row("A-3", grams="4.0"),  # over Seattle's 3 g: ineligible
            row("A-4", statute=ASSAULT),  # not an eligible offence
            row("A-5", dob="2010-01-01"),  # 16 on the arrest date: under 18
            row(
                "B-9", grams="", drug=""
            ),  # quantity not recorded: needs review, still eligible on the record
            row("A-7", statute=ASSAULT, officer="Chen"),
        ]
    )
    run, frame = screening_run_create(
        actor=project_manager(world), source=data, file_name="march.csv", mapping_text=MAPPING
    )
    assert (run.rows, run.eligible, run.diverted, run.missed, run.diverted_ineligible) == (7, 3, 2, 1, 0)
    assert run.protocol_version.version == 1
    assert run.created_by == world.users["project_manager"]
    with trusted("tests"):
        arrests = {a.incident_number: a for a in ScreenedArrest.objects.filter(run=run)}
    assert arrests["A-1"].diverted and arrests["A-1"].referral_id == world.own_case.referral_id
    assert (
        arrests["A-3"].outcome == "ineligible"
        and arrests["A-3"].reason == "4 g is not under the limit of 3 g."
    )
    assert arrests["A-5"].reason == "Age 16 is under the minimum age of 18."
    assert arrests["B-9"].outcome == "needs_review" and arrests["B-9"].eligible
    assert (arrests["A-2"].line, arrests["A-2"].race, arrests["A-2"].sex, arrests["A-2"].age_group) == (
        3,
        "Black or African American",
        "Male",
        "35 to 44",
    )
    entry = AuditEntry.objects.filter(object_type="ScreeningRun").get()
    assert entry.detail["missed"] == 1


def test_it_counts_a_diverted_arrest_the_record_rules_out_apart(world):
    publish_seattle(world)
    set_incident(world.own_case.referral_id, "A-1")
    data = csv_bytes([row("A-1", grams="9")])
    run, _ = screening_run_create(
        actor=project_manager(world), source=data, file_name="a.csv", mapping_text=MAPPING
    )
    assert (run.eligible, run.diverted, run.missed, run.diverted_ineligible) == (0, 0, 0, 1)


def test_it_screens_against_the_version_asked_for(world):
    publish_seattle(world)
    with pytest.raises(ValidationError) as raised:
        screening_run_create(
            actor=project_manager(world),
            source=csv_bytes([row("A-1")]),
            file_name="a.csv",
            mapping_text=MAPPING,
            version=7,
        )
    assert raised.value.messages == ["This program has no protocol version 7."]
