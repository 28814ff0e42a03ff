"""Recording a contact from the case page: defaults for a one-tap entry, scope, audit, and Part 2 notes."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.actions import ERR_CONTACT_EXITED, ERR_CONTACT_IN_FUTURE
from offramp.cases.models import Contact, Status
from offramp.programs.roles import Role
from tests.conftest import make_case

NOTE = "Talked about the housing list; wants to see a doctor about his foot."
ZONE = zoneinfo.ZoneInfo("America/Denver")  # the world's program (tests/conftest.py)
PART2_NOTE = "Asked about starting buprenorphine at the clinic."


def contacts(case):
    with trusted("tests"):
        return list(Contact.objects.filter(case=case).order_by("-id"))


def form_post(case, **changes):
    """What the quick form posts when its defaults are left as they are."""
    data = {
        "kind": Contact.Kind.IN_PERSON,
        "successful": "yes",
        "at": timezone.localtime(timezone=ZONE).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "15",
        "location": "",
        "note": "",
    }
    data.update(changes)
    return reverse("cases:contact_add", args=[case.pk]), data


def test_it_offers_a_form_whose_defaults_make_a_typical_contact_one_tap(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    response = client.get(reverse("cases:detail", args=[world.own_case.pk]))
    form = response.context["contact_form"]
    # the world's case was last seen on street outreach: that is the default kind now
    assert form["kind"].value() == Contact.Kind.STREET_OUTREACH
    assert form["successful"].value() == "yes"
    assert form["duration_minutes"].value() == 15
    # the time field shows now, on the program's wall clock
    shown = re.search(r'name="at" value="([^"]+)"', response.content.decode()).group(1)
    local_now = timezone.localtime(timezone=ZONE).replace(tzinfo=None)
    assert abs(dt.datetime.strptime(shown, "%Y-%m-%dT%H:%M") - local_now) < dt.timedelta(minutes=2)


def test_it_records_a_contact_on_the_case_managers_own_case_and_audits_it(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    url, data = form_post(world.own_case, location="Harbor Park", note=NOTE, duration_minutes="20")
    response = client.post(url, data)
    assert response.status_code == 302
    contact = contacts(world.own_case)[0]
    assert (contact.kind, contact.successful, contact.location, contact.duration_minutes, contact.note) == (
        Contact.Kind.IN_PERSON,
        True,
        "Harbor Park",
        20,
        NOTE,
    )
    assert contact.by == world.users[Role.CASE_MANAGER] and not contact.part2
    entry = AuditEntry.objects.filter(action="create", object_type="Contact").get()
    assert entry.object_id == str(contact.pk) and entry.actor == world.users[Role.CASE_MANAGER]
    assert NOTE not in str(entry.detail)  # the log never holds the narrative
    with connection.cursor() as cursor:  # the note is sealed at rest (offramp/access/fieldcrypt.py)
        cursor.execute("SELECT note FROM cases_contact WHERE id = %s", [contact.pk])
        assert cursor.fetchone()[0].startswith("enc1:")


def test_it_records_an_attempt(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    client.post(*form_post(world.own_case, successful="no", kind=Contact.Kind.PHONE))
    contact = contacts(world.own_case)[0]
    assert (contact.kind, contact.successful) == (Contact.Kind.PHONE, False)


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        (Role.CASE_MANAGER, "own", True),
        (Role.CASE_MANAGER, "other", False),
        (Role.CASE_MANAGER, "foreign", False),
        (Role.CASE_SUPERVISOR, "other", True),
        (Role.CASE_SUPERVISOR, "foreign", False),
        (Role.PROJECT_MANAGER, "own", False),  # reads case records, does not write them
        (Role.OFFICER, "own", False),
        (Role.PROSECUTOR, "own", False),
        (Role.EVALUATOR, "own", False),
        (Role.SYSTEM_ADMIN, "own", False),
    ],
)
def test_it_lets_only_the_case_team_record_contacts_in_their_scope(world, login, role, target, allowed):
    case = {"own": world.own_case, "other": world.other_case, "foreign": world.foreign_case}[target]
    before = len(contacts(case))
    response = login(world.users[role]).post(*form_post(case))
    assert response.status_code == (302 if allowed else 404)
    assert len(contacts(case)) == before + (1 if allowed else 0)


def test_it_refuses_a_contact_in_the_future_and_changes_nothing(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    later = (timezone.localtime(timezone=ZONE) + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(*form_post(world.own_case, at=later))
    assert response.status_code == 400
    assert ERR_CONTACT_IN_FUTURE in response.content.decode()
    assert len(contacts(world.own_case)) == 1


def test_it_refuses_an_unknown_kind(world, login):
    response = login(world.users[Role.CASE_MANAGER]).post(*form_post(world.own_case, kind="carrier_pigeon"))
    assert response.status_code == 400
    assert len(contacts(world.own_case)) == 1


def test_it_refuses_contacts_on_an_exited_case(world, login):
    exited = make_case(
        world.program, manager=world.users[Role.CASE_MANAGER], status=Status.EXITED, last="Gone"
    )
    response = login(world.users[Role.CASE_MANAGER]).post(*form_post(exited))
    assert response.status_code == 400
    assert ERR_CONTACT_EXITED in response.content.decode()


def test_it_shows_part2_notes_only_to_roles_with_part2_and_notes_only_to_roles_with_notes(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    manager.post(*form_post(world.own_case, note=NOTE))
    manager.post(*form_post(world.own_case, note=PART2_NOTE, part2="on"))
    assert contacts(world.own_case)[0].part2 is True
    url = reverse("cases:detail", args=[world.own_case.pk])
    for role, sees_notes in [
        (Role.CASE_MANAGER, True),
        (Role.CASE_SUPERVISOR, True),
        (Role.PROJECT_MANAGER, False),
    ]:
        body = login(world.users[role]).get(url).content.decode()
        assert (NOTE in body) is sees_notes
        assert (PART2_NOTE in body) is sees_notes
        assert body.count("In person · reached") == 2  # both contacts are listed, with or without notes


def test_it_withholds_a_part2_note_from_a_role_with_notes_but_not_part2(world, login, monkeypatch):
    """No built-in role has notes without Part 2 today; a program may configure one (the matrix is data)."""
    from offramp.access import policy

    monkeypatch.setitem(policy.MATRIX[policy.Category.PART2], Role.CASE_SUPERVISOR, policy.Scope.NONE)
    login(world.users[Role.CASE_MANAGER]).post(*form_post(world.own_case, note=PART2_NOTE, part2="on"))
    login(world.users[Role.CASE_MANAGER]).post(*form_post(world.own_case, note=NOTE))
    body = login(world.users[Role.CASE_SUPERVISOR]).get(reverse("cases:detail", args=[world.own_case.pk]))
    body = body.content.decode()
    assert NOTE in body and PART2_NOTE not in body
