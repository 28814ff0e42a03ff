"""A project manager reviews proposed links on a page: both identities side by side, accept or reject once.

A rejected link is never proposed again."""

import datetime as dt

from django.urls import reverse

from offramp.access.audit import Action
from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.analysis.linking import compare_fields
from offramp.analysis.models import Subject, SubjectLink
from offramp.analysis.synthetic import PEOPLE_MAPPING
from offramp.people.models import Alias
from offramp.programs.roles import Role
from tests.analysis.test_subject_links import _load


def _link():
    with trusted("tests"):
        return SubjectLink.objects.get()


def test_it_shows_both_identities_and_which_fields_differ(world, login, tmp_path):
    _load(world, tmp_path, "S2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n")  # the world's Ben Okoro
    page = login(world.users[Role.PROJECT_MANAGER]).get(reverse("analysis:links")).content.decode()
    assert "1 link waiting for review." in page
    assert "Record S2 (lead)" in page
    assert '<th scope="row">First name</th><td>Benn</td><td>Ben</td><td>Similar</td>' in page
    assert '<th scope="row">Last name</th><td>Okoro</td><td>Okoro</td><td>Same</td>' in page
    assert "<td>1975-01-02</td><td>1975-01-02</td><td>Same</td>" in page
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.detail["proposed"]) == (Action.LIST, "SubjectLink", 1)


def test_it_accepts_a_link_from_the_page(world, login, tmp_path):
    _load(world, tmp_path, "S2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n")
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.post(reverse("analysis:links"), {"link": _link().pk, "decision": "accept"})
    assert response["Location"] == reverse("analysis:links")
    assert (_link().status, _link().decided_by) == ("accepted", world.users[Role.PROJECT_MANAGER])
    page = client.get(reverse("analysis:links")).content.decode()
    assert "Accepted the link for record S2." in page and "No links are waiting for review." in page


def test_it_never_proposes_a_rejected_link_again(world, login, tmp_path):
    _load(world, tmp_path, "S2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n")
    client = login(world.users[Role.PROJECT_MANAGER])
    client.post(reverse("analysis:links"), {"link": _link().pk, "decision": "reject"})
    assert _link().status == "rejected"
    # Deciding again is refused, and changes nothing.
    page = client.post(reverse("analysis:links"), {"link": _link().pk, "decision": "accept"}, follow=True)
    assert "This link has already been decided." in page.content.decode()
    assert _link().status == "rejected"
    # Loading the same record again is refused (a source id loads once), so it cannot be re-proposed;
    # another file's records are linked on their own.
    upload = tmp_path / "again.csv"
    upload.write_text(
        "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
        "left_observation,months_in_program,offramp_id\nS2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n"
    )
    response = client.post(reverse("analysis:import"), {"file": upload.open("rb"), "mapping": PEOPLE_MAPPING})
    assert "source_id &#x27;S2&#x27; is already loaded" in response.content.decode()
    with trusted("tests"):
        assert Subject.objects.count() == 1
    assert _link().status == "rejected"
    assert "No links are waiting for review." in client.get(reverse("analysis:links")).content.decode()


def test_it_refuses_other_roles_and_other_programs(world, login, tmp_path):
    _load(world, tmp_path, "S2,LEAD,Benn,Okoro,1975-01-02,,,,,2012-01-01,,,\n")
    for user in (world.users[Role.EVALUATOR], world.users[Role.CASE_SUPERVISOR], world.outsider):
        response = login(user).post(reverse("analysis:links"), {"link": _link().pk, "decision": "accept"})
        assert response.status_code == 404
    assert _link().status == "proposed"
    page = login(world.outsider).get(reverse("analysis:links")).content.decode()
    assert "Okoro" not in page and "No links are waiting for review." in page


def test_it_compares_against_the_best_name_and_notices_a_swap():
    dob = dt.date(1975, 1, 2)
    names = [("legal name", "Benjamin", "Okafor"), ("alias", "Ben", "Okoro")]
    label, swapped, checks = compare_fields(first="Okoro", last="Ben", dob=dob, names=names, person_dob=dob)
    assert (label, swapped) == ("alias", True)
    assert [(c.field, c.subject_value, c.participant_value, c.verdict) for c in checks] == [
        ("First name", "Okoro", "Okoro", "same"),
        ("Last name", "Ben", "Ben", "same"),
        ("Date of birth", "1975-01-02", "1975-01-02", "same"),
    ]
    label, swapped, checks = compare_fields(
        first="Zed", last="Okoro", dob=dob, names=names[1:], person_dob=dt.date(1975, 1, 3)
    )
    assert (swapped, [c.verdict for c in checks]) == (False, ["different", "same", "different"])


def test_it_lists_an_alias_match_as_such(world, login, tmp_path):
    with trusted("tests"):
        Alias.objects.create(
            program=world.program, person=world.other_case.person, first_name="Benny", last_name="Okorocha"
        )
    _load(world, tmp_path, "S7,BAU,Benny,Okorocha,1975-01-02,,,,,2012-01-01,,,\n")
    page = login(world.users[Role.PROJECT_MANAGER]).get(reverse("analysis:links")).content.decode()
    assert "Name score 1.00, best against the participant's alias." in page
