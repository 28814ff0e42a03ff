"""The frames handed to the evaluation engine carry research ids and age at index, never identities."""

import datetime as dt

import pytest
from django.http import Http404

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.analysis.actions import records_import
from offramp.analysis.models import Subject
from offramp.analysis.queries import deidentified_data
from offramp.analysis.synthetic import PEOPLE_MAPPING
from offramp.programs.roles import Role
from tests.analysis.conftest import actor_for

HEADER = (
    "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
    "left_observation,months_in_program,offramp_id\n"
)


def test_it_hands_over_research_ids_and_age_at_index_only(world, tmp_path):
    ana = world.own_case.person
    path = tmp_path / "p.csv"
    path.write_text(
        HEADER + f"S1,LEAD,Ana,Lopez,1980-05-17,female,White,area_1,theft,,,3,{ana.pk}\n"
        "S2,BAU,Ben,Stone,1975-06-02,male,Black,area_2,theft,2012-06-01,,,\n"
        "S3,BAU,Cy,Moss,,male,Black,area_2,theft,2012-06-01,,,\n"
    )
    records_import(actor=actor_for(world, Role.PROJECT_MANAGER), path=path, mapping_text=PEOPLE_MAPPING)
    before = AuditEntry.objects.count()
    data = deidentified_data(actor_for(world, Role.EVALUATOR), arms=("lead", "comparison"))
    assert AuditEntry.objects.count() == before + 1
    people = data.people
    assert set(people.columns) == {
        "person_id",
        "arm",
        "index_date",
        "age",
        "sex",
        "race_ethnicity",
        "area",
        "offence_type",
        "followup_end",
        "program_months",
    }
    with trusted("tests"):
        pks = set(Subject.objects.values_list("pk", flat=True))
    assert not pks & set(people["person_id"].to_list())
    rows = {r["arm"]: r for r in people.iter_rows(named=True)}
    # Ana has no index date in the extract: her first referral (40 days ago, program time) stands in.
    referred = world.own_case.referral.referred_at.astimezone(world.program.zone).date()
    assert rows["lead"]["index_date"] == referred
    assert rows["lead"]["age"] == referred.year - 1980 - ((referred.month, referred.day) < (5, 17))
    assert rows["comparison"]["age"] == 36  # born 1975-06-02, index 2012-06-01: the day before a birthday
    assert data.provenance["excluded_no_date_of_birth"] == 1  # S3
    assert "Lopez" not in people.write_csv() and "1980-05-17" not in people.write_csv()


def test_it_gives_the_same_research_id_every_time_and_none_to_other_roles(world, seeded):
    evaluator = actor_for(world, Role.EVALUATOR)
    first = deidentified_data(evaluator, arms=("lead", "comparison")).people["person_id"]
    assert first.equals(deidentified_data(evaluator, arms=("lead", "comparison")).people["person_id"])
    assert first.n_unique() == first.len() == 500
    for role in (Role.CASE_MANAGER, Role.OFFICER, Role.SYSTEM_ADMIN):
        with pytest.raises(Http404):
            deidentified_data(actor_for(world, role), arms=("lead",))
    outsider = actor_for(world, Role.EVALUATOR, world.other_program)
    assert deidentified_data(outsider, arms=("lead", "comparison")).people.height == 0
    # The synthetic records end with the last full month.
    assert deidentified_data(evaluator, arms=("lead",)).events["date"].max() < dt.date.today().replace(day=1)
