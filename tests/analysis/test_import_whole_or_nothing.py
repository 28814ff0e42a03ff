"""Exports load whole or not at all; every bad row is named by line and field."""

import polars as pl
import pytest
from django.core.exceptions import ValidationError

from offramp.access.scope import trusted
from offramp.analysis.actions import records_import
from offramp.analysis.models import ImportBatch, LegalEvent, Subject
from offramp.analysis.synthetic import EVENTS_MAPPING, PEOPLE_MAPPING
from offramp.programs.roles import Role
from tests.analysis.conftest import actor_for

HEADER = (
    "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
    "left_observation,months_in_program,offramp_id\n"
)
PEOPLE = (
    HEADER
    + """S1,LEAD,Ana,Lopez,1980-05-17,female,White,area_1,theft,2012-03-01,,6,
S2,BAU,Ben,Stone,1975-01-02,male,Black,area_2,theft,2012-04-01,,0,
S3,BAU,Cy,Moss,1990-02-03,male,Black,area_2,theft,2012-05-01,,0,
"""
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def _counts():
    with trusted("tests"):
        return ImportBatch.objects.count(), Subject.objects.count(), LegalEvent.objects.count()


def test_it_loads_a_people_file_and_its_events(world, tmp_path):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    batch = records_import(actor=pm, path=_write(tmp_path, "p.csv", PEOPLE), mapping_text=PEOPLE_MAPPING)
    assert batch.rows == 3
    events = (
        "subject_no,event_date,event_type,length_of_stay,from_index_arrest\n"
        "S1,2012-05-01,ARREST,,false\nS2,2012-06-01,JAIL,4,\n"
    )
    records_import(actor=pm, path=_write(tmp_path, "e.csv", events), mapping_text=EVENTS_MAPPING)
    with trusted("tests"):
        stay = LegalEvent.objects.get(kind="jail_stay")
        s1 = Subject.objects.get(source_id="S1")
    assert (stay.subject.source_id, stay.days, stay.index_related) == ("S2", 4, False)
    assert (s1.arm, str(s1.date_of_birth), s1.program_months) == ("lead", "1980-05-17", 6)


def test_it_reports_every_bad_row_by_line_and_field_and_loads_nothing(world, tmp_path):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    bad = PEOPLE.replace("1975-01-02", "1975-13-02").replace("S3,BAU", "S1,BAU").replace(",6,", ",-6,")
    with pytest.raises(ValidationError) as err:
        records_import(actor=pm, path=_write(tmp_path, "p.csv", bad), mapping_text=PEOPLE_MAPPING)
    assert err.value.messages == [
        "p.csv, line 2, program_months (column 'months_in_program'): "
        "'-6' is not a whole number from 0 to 1200",
        "p.csv, line 3, date_of_birth (column 'dob'): '1975-13-02' is not a date in the format %Y-%m-%d",
        "p.csv, line 4, source_id (column 'subject_no'): 'S1' is already on line 2",
    ]
    assert _counts() == (0, 0, 0)


def test_it_refuses_events_for_people_never_loaded_and_keeps_the_good_rows_out_too(world, tmp_path):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    records_import(actor=pm, path=_write(tmp_path, "p.csv", PEOPLE), mapping_text=PEOPLE_MAPPING)
    events = (
        "subject_no,event_date,event_type\nS1,2012-05-01,ARREST\nS9,2012-06-01,ARREST\nS2,2012-06-01,TASER\n"
    )
    mapping = EVENTS_MAPPING.replace('days = "length_of_stay"\n', "").replace(
        'index_related = "from_index_arrest"\n', ""
    )
    with pytest.raises(ValidationError) as err:
        records_import(actor=pm, path=_write(tmp_path, "e.csv", events), mapping_text=mapping)
    assert err.value.messages == [
        "e.csv, line 4, kind (column 'event_type'): 'TASER' is not an event kind (arrest, booking, "
        "charge_felony, charge_misdemeanor, jail_stay, prison, warrant_issued, warrant_cleared, case_filed, "
        "case_disposed)"
    ]
    events = events.replace("TASER", "ARREST")
    with pytest.raises(ValidationError) as err:
        records_import(actor=pm, path=_write(tmp_path, "e.csv", events), mapping_text=mapping)
    assert err.value.messages == [
        "e.csv, line 3, source_id (column 'subject_no'): source_id 'S9' is not in any people file loaded "
        "for this program"
    ]
    assert _counts() == (1, 3, 0)


def test_it_reads_parquet_with_row_numbers(world, tmp_path):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    frame = pl.read_csv(_write(tmp_path, "p.csv", PEOPLE), infer_schema=False)
    frame.with_columns(
        pl.when(pl.col("subject_no") == "S2")
        .then(pl.lit("Mars Colony"))
        .otherwise(pl.col("group"))
        .alias("group")
    ).write_parquet(tmp_path / "p.parquet")
    with pytest.raises(ValidationError) as err:
        records_import(actor=pm, path=tmp_path / "p.parquet", mapping_text=PEOPLE_MAPPING)
    assert err.value.messages == [
        "p.parquet, line 2, arm (column 'group'): 'Mars Colony' is not a lowercase name "
        "(letters, digits, underscores)"
    ]
    frame.write_parquet(tmp_path / "p.parquet")
    assert records_import(actor=pm, path=tmp_path / "p.parquet", mapping_text=PEOPLE_MAPPING).rows == 3


def test_it_lists_every_mapping_problem(world, tmp_path):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    mapping = '[file]\ntable = "events"\n[columns]\nsource_id = "a"\nwhen = "b"\n'
    with pytest.raises(ValidationError) as err:
        records_import(actor=pm, path=_write(tmp_path, "e.csv", "a,b\n1,2\n"), mapping_text=mapping)
    assert err.value.messages == [
        "columns.date: required",
        "columns.kind: required",
        "columns.when: unknown field; expected one of source_id, date, kind, days, index_related",
    ]


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.PROJECT_MANAGER, Role.SYSTEM_ADMIN)])
def test_it_lets_only_program_configurers_import(world, tmp_path, role):
    from django.http import Http404

    with pytest.raises(Http404):
        records_import(
            actor=actor_for(world, role), path=_write(tmp_path, "p.csv", PEOPLE), mapping_text=PEOPLE_MAPPING
        )
    assert _counts() == (0, 0, 0)
