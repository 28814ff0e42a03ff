"""Subjects are linked to participants by identifier, else proposed by name and date of birth.

Never merged."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from offramp.access.scope import trusted
from offramp.analysis.actions import link_decide, records_import
from offramp.analysis.linking import name_score
from offramp.analysis.models import SubjectLink
from offramp.analysis.synthetic import PEOPLE_MAPPING
from offramp.people.models import Person
from offramp.programs.roles import Role
from tests.analysis.conftest import actor_for

HEADER = (
    "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
    "left_observation,months_in_program,offramp_id\n"
)


def _load(world, tmp_path, rows):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + rows)
    return records_import(
        actor=actor_for(world, Role.PROJECT_MANAGER), path=path, mapping_text=PEOPLE_MAPPING
    )


def _links():
    with trusted("tests"):
        return sorted(
            (link.subject.source_id, link.person.legal_last_name, link.method, link.score, link.status)
            for link in SubjectLink.objects.select_related("subject", "person")
        )


def test_it_links_by_identifier_and_proposes_name_and_birth_date_matches(world, tmp_path):
    ana = world.own_case.person  # Ana Lopez, 1980-05-17
    _load(
        world,
        tmp_path,
        f"S1,LEAD,X,Y,1970-01-01,,,,,2012-01-01,,,{ana.pk}\n"  # identifier: names do not matter
        "S2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n"  # a misspelt first name, same birth date
        "S3,BAU,Ben,Okoro,1975-01-03,,,,,2012-01-01,,,\n"  # right name, another birth date: no link
        "S4,BAU,Zed,Quill,1975-01-02,,,,,2012-01-01,,,\n"  # same birth date, another name: no link
        f"S5,LEAD,Cal,Reed,1990-03-04,,,,,2012-01-01,,,\n",
    )  # another program's participant: no link
    assert _links() == [
        ("S1", "Lopez", "identifier", 1.0, "accepted"),
        ("S2", "Okoro", "name_dob", name_score("Benn", "Okoro", "Ben", "Okoro"), "proposed"),
    ]
    with trusted("tests"):
        assert Person.objects.filter(program=world.program).count() == 2  # nothing merged or created


def test_it_scores_names_forgivingly_but_not_blindly():
    assert name_score("José", "García", "Jose", "Garcia") == 1.0
    assert name_score("Okoro", "Ben", "Ben", "Okoro") == 1.0  # first and last swapped
    assert name_score("Ana", "Lopez", "Anna", "Lopes") > 0.8
    assert name_score("Zed", "Quill", "Ben", "Okoro") < 0.3


def test_it_lets_a_project_manager_accept_or_reject_a_proposed_link_once(world, tmp_path):
    _load(world, tmp_path, "S2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n")
    with trusted("tests"):
        link = SubjectLink.objects.get()
    pm = actor_for(world, Role.PROJECT_MANAGER)
    for role in (Role.EVALUATOR, Role.CASE_MANAGER):
        with pytest.raises(Http404):
            link_decide(actor=actor_for(world, role), link_id=link.pk, accept=True)
    with pytest.raises(Http404):
        link_decide(
            actor=actor_for(world, Role.PROJECT_MANAGER, world.other_program), link_id=link.pk, accept=True
        )
    decided = link_decide(actor=pm, link_id=link.pk, accept=False)
    assert (decided.status, decided.decided_by) == ("rejected", world.users[Role.PROJECT_MANAGER])
    with pytest.raises(ValidationError):
        link_decide(actor=pm, link_id=link.pk, accept=True)
