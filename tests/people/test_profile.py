"""The participant profile: the case team edits it (HMIS FY2026 codes), every save is a row of its
history and an audit entry naming the fields; where to find them is sealed; officers and prosecutors
see none of it."""

import pytest
from django.db import connection
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.people import hmis
from offramp.people.models import Person, ProfileChange

FORM = {
    "legal_first_name": "Ana",
    "legal_middle_name": "Maria",
    "legal_last_name": "Lopez",
    "preferred_name": "Annie",
    "aliases": "Flaca\nAna Lopes",
    "date_of_birth": "1980-05-17",
    "dob_data_quality": "1",
    "races": ["hispanic_latinao", "am_ind_ak_native"],
    "race_none": "",
    "sex": "0",
    "gender": "Woman",
    "veteran_status": "0",
    "language": "Spanish",
    "phone": "206-555-0177",
    "whereabouts": "Under the Fifth Avenue bridge, blue tent",
    "emergency_contact_name": "Rosa Lopez",
    "emergency_contact_relationship": "Sister",
    "emergency_contact_phone": "206-555-0188",
}


def url(case):
    return reverse("people:profile", args=[case.pk])


def person(case):
    with trusted("tests"):
        return Person.objects.prefetch_related("aliases").get(pk=case.person_id)


def test_the_case_manager_records_the_profile_with_hmis_codes_and_its_history(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    assert client.post(url(world.own_case), FORM).status_code == 302
    saved = person(world.own_case)
    assert (saved.preferred_name, saved.legal_middle_name, saved.sex) == ("Annie", "Maria", hmis.Sex.FEMALE)
    assert saved.hispanic_latinao == hmis.NoYes.YES and saved.am_ind_ak_native == hmis.NoYes.YES
    assert saved.white == hmis.NoYes.NO  # the world made her White: the case team corrected it
    assert saved.veteran_status == hmis.NoYesReasons.NO and saved.language == "Spanish"
    assert sorted((a.first_name, a.last_name) for a in saved.aliases.all()) == [
        ("Ana", "Lopes"),
        ("Flaca", ""),
    ]
    assert saved.whereabouts == "Under the Fifth Avenue bridge, blue tent"
    with connection.cursor() as cursor:  # sealed at rest
        cursor.execute("SELECT whereabouts FROM people_person WHERE id = %s", [saved.pk])
        assert "Fifth Avenue" not in cursor.fetchone()[0]

    with trusted("tests"):
        (change,) = ProfileChange.objects.filter(person=saved)
    assert change.by == world.users[Role.CASE_MANAGER]
    assert change.changes["preferred_name"] == ["", "Annie"]
    assert change.changes["whereabouts"] == ["(sealed)", "(sealed)"]
    entry = AuditEntry.objects.filter(action="update", object_type="Person", object_id=str(saved.pk)).get()
    assert "whereabouts" in entry.detail["fields"] and "Fifth" not in str(entry.detail)

    page = client.get(url(world.own_case)).content.decode()
    assert "History of changes" in page and "Preferred name: (empty) → Annie" in page
    assert client.post(url(world.own_case), FORM).status_code == 302  # the same again: no new history row
    with trusted("tests"):
        assert ProfileChange.objects.filter(person=saved).count() == 1


def test_bad_input_names_the_field_and_changes_nothing(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    before = person(world.own_case)
    response = client.post(url(world.own_case), {**FORM, "legal_last_name": "", "race_none": "99"})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "This field is required." in body and "Leave this empty when a race or ethnicity is chosen." in body
    )
    after = person(world.own_case)
    assert (after.preferred_name, after.legal_last_name) == (before.preferred_name, before.legal_last_name)
    with trusted("tests"):
        assert not ProfileChange.objects.exists()


def test_the_project_manager_reads_it_and_cannot_change_it(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    page = client.get(url(world.own_case))
    assert page.status_code == 200 and "Save the profile" not in page.content.decode()
    assert client.post(url(world.own_case), FORM).status_code == 404
    assert person(world.own_case).preferred_name == ""


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.EVALUATOR, Role.SYSTEM_ADMIN])
def test_officers_and_prosecutors_see_none_of_it(world, login, role):
    client = login(world.users[role])
    assert client.get(url(world.own_case)).status_code == 404
    assert client.post(url(world.own_case), FORM).status_code == 404
    assert person(world.own_case).preferred_name == ""
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.outcome == "not_found"


def test_another_case_managers_participant_is_404(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    assert client.get(url(world.other_case)).status_code == 404
    assert client.post(url(world.other_case), FORM).status_code == 404
