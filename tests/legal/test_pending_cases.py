"""Open warrants and pending cases: computed from the imported records' events (any date), accepted by
the records import, shown on the legal coordination page, and never counted by a study."""

import datetime as dt

import polars as pl
import pytest
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.analysis.actions import records_import
from offramp.analysis.models import LegalEvent, Subject, SubjectLink
from offramp.analysis.synthetic import EVENTS_MAPPING, PEOPLE_MAPPING
from offramp.evaluation.cohort import build_analysis_frame
from offramp.evaluation.study import EVENT_KINDS, PENDING_KINDS, study_from_toml
from offramp.legal.pending import Pending, open_items
from tests.analysis.conftest import actor_for

D = dt.date


def test_an_issued_warrant_is_open_until_cleared_and_a_filed_case_until_disposed():
    events = [
        ("warrant_issued", D(2019, 1, 5)),
        ("warrant_cleared", D(2019, 2, 1)),
        ("warrant_issued", D(2024, 3, 1)),
        ("case_filed", D(2023, 6, 1)),
        ("case_filed", D(2024, 1, 10)),
        ("case_disposed", D(2024, 2, 1)),  # closes the oldest open case, filed 2023
        ("arrest", D(2024, 3, 1)),  # not a pending kind
    ]
    assert open_items(events) == [
        Pending("Pending case", D(2024, 1, 10)),
        Pending("Open warrant", D(2024, 3, 1)),
    ]


def test_same_day_issue_and_clear_is_closed_and_a_stray_clear_is_ignored():
    assert open_items([("warrant_cleared", D(2024, 1, 1)), ("warrant_issued", D(2024, 1, 1))]) == []
    assert open_items([("case_disposed", D(2020, 1, 1)), ("case_filed", D(2021, 1, 1))]) == [
        Pending("Pending case", D(2021, 1, 1))
    ]
    assert open_items([]) == []


HEADER = "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
HEADER += "left_observation,months_in_program,offramp_id\n"
PEOPLE = HEADER + "S1,LEAD,Ana,Lopez,1980-05-17,female,White,area_1,theft,2012-03-01,,6,\n"


def _import(world, tmp_path, events):
    pm = actor_for(world, Role.PROJECT_MANAGER)
    people, rows = tmp_path / "p.csv", tmp_path / "e.csv"
    people.write_text(PEOPLE)
    rows.write_text("subject_no,event_date,event_type,length_of_stay,from_index_arrest\n" + events)
    records_import(actor=pm, path=people, mapping_text=PEOPLE_MAPPING)
    records_import(actor=pm, path=rows, mapping_text=EVENTS_MAPPING)
    with trusted("tests"):
        subject = Subject.objects.get(source_id="S1")
        # The import proposes the name-and-date-of-birth link; a person accepts it.
        SubjectLink.objects.update_or_create(
            program=world.program,
            subject=subject,
            person=world.own_case.person,
            defaults={"method": "name_dob", "score": 1, "status": "accepted"},
        )
        Consent.objects.create(
            program=world.program,
            person=world.own_case.person,
            recipient_class=Consent.Recipient.PUBLIC_DEFENDER,
            categories=[Category.STATUS, Category.LEGAL],
            purpose="Legal coordination",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )


def test_the_import_accepts_the_new_kinds_and_the_page_shows_what_is_open(world, login, tmp_path):
    _import(
        world,
        tmp_path,
        "S1,2010-04-02,WARRANT,,\nS1,2011-01-05,CASE_FILED,,\nS1,2011-06-01,CASE_DISPOSED,,\n"
        "S1,2015-09-09,WARRANT,,\nS1,2016-01-01,WARRANT_CLEARED,,\nS1,2012-05-01,ARREST,,false\n",
    )
    with trusted("tests"):
        kinds = sorted(LegalEvent.objects.values_list("kind", flat=True))
    assert kinds == [
        "arrest",
        "case_disposed",
        "case_filed",
        "warrant_cleared",
        "warrant_issued",
        "warrant_issued",
    ]
    for role in (Role.PUBLIC_DEFENDER, Role.CASE_MANAGER):
        response = login(world.users[role]).get(f"/legal/{world.own_case.pk}/")
        page = response.content.decode()
        # The warrant of 2010 was cleared by the 2016 clearing (the oldest open first); one stays open.
        assert response.context["view"].pending == [Pending("Open warrant", D(2015, 9, 9))]
        assert "Open warrant, since 9 Sep 2015" in page
        assert "not in the imported records yet" not in page
        assert response.context["view"].events == []  # all of them before the referral


def test_a_study_never_counts_warrants_or_court_cases():
    assert not set(PENDING_KINDS) & set(EVENT_KINDS)
    study = study_from_toml(
        text="""
[study]
name = "pending"
[[arms]]
name = "lead"
role = "intervention"
[[arms]]
name = "comparison"
role = "comparison"
[covariates]
numeric = ["prior_arrest_12m"]
[[outcomes]]
name = "any_arrest_12m"
event = "arrest"
measure = "any"
months = 12
[analysis]
primary_outcome = "any_arrest_12m"
"""
    )
    people = pl.DataFrame(
        {"person_id": [1, 2], "arm": ["lead", "comparison"], "index_date": [D(2020, 1, 1), D(2020, 1, 1)]}
    )
    arrests = [(1, D(2020, 3, 1), "arrest"), (2, D(2020, 5, 1), "arrest")]
    pending = [(1, D(2020, 4, 1), "warrant_issued"), (2, D(2022, 1, 1), "case_filed")]

    def frame(rows):
        events = pl.DataFrame(rows, schema=["person_id", "date", "kind"], orient="row")
        return build_analysis_frame(study=study, people=people, events=events)

    without, with_pending = frame(arrests), frame(arrests + pending)
    assert with_pending.equals(without)  # same outcomes and the same end of observation
    assert without["followup_end"].to_list() == [D(2020, 5, 1)] * 2  # the last arrest, not the 2022 case


@pytest.mark.parametrize("kind", PENDING_KINDS)
def test_the_api_accepts_the_new_kinds(kind):
    from offramp.api.schemas import LegalEvent as Schema

    assert Schema(source_id="P1", kind=kind, date="2026-01-02").kind == kind
