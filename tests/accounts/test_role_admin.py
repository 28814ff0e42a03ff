"""Administrators create staff accounts and add or remove roles; each change is audited and a role change
signs the user out everywhere."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.accounts import actions
from offramp.programs.models import Agency, Membership
from offramp.programs.roles import Role

NEW = {
    "first_name": "Dana",
    "last_name": "Reyes",
    "username": "dreyes",
    "email": "dreyes@example.org",
    "role": Role.OFFICER,
    "agency": "",
    "password": "plover xylophone quarry 42",
}


def _roles(user, program):
    return set(Membership.objects.filter(user=user, program=program).values_list("role", flat=True))


def test_it_creates_a_staff_account_with_its_role(world, login):
    admin = login(world.users[Role.SYSTEM_ADMIN])
    agency = Agency.objects.get(program=world.program)
    response = admin.post(reverse("accounts:user_new"), {**NEW, "agency": agency.pk})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="dreyes")
    assert (user.is_temporary, user.check_password(NEW["password"])) == (False, True)
    assert Membership.objects.get(user=user).agency == agency
    assert _roles(user, world.program) == {Role.OFFICER}
    entry = AuditEntry.objects.get(action="create", object_type="User")
    assert (entry.actor, entry.object_id, entry.detail) == (
        world.users[Role.SYSTEM_ADMIN],
        str(user.pk),
        {"role": "officer", "temporary": False},
    )
    assert "dreyes" in admin.get(reverse("accounts:users")).content.decode()


def test_it_creates_a_temporary_account_that_expires(world, login, settings):
    import datetime as dt

    from django.utils import timezone

    from offramp.access.scope import Actor

    login(world.users[Role.SYSTEM_ADMIN]).post(reverse("accounts:user_new"), {**NEW, "temporary": "on"})
    user = get_user_model().objects.get(username="dreyes")
    assert user.is_temporary
    later = timezone.now() + dt.timedelta(hours=settings.TEMPORARY_ACCOUNT_HOURS, minutes=1)
    assert actions.accounts_expire(actor=Actor.system("test"), now=later)["temporary"] == 1
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "caseManager"}, actions.USERNAME_TAKEN),
        ({"username": "no spaces"}, actions.USERNAME_INVALID),
        ({"email": "casemanager@example.org"}, actions.EMAIL_TAKEN),
        ({"password": "password123"}, "attackers try first"),
        ({"agency": "99999"}, "Select a valid choice"),
        ({"role": "sheriff"}, "Select a valid choice"),
    ],
)
def test_it_explains_a_refused_account_and_creates_nothing(world, login, changes, message):
    before = get_user_model().objects.count()
    response = login(world.users[Role.SYSTEM_ADMIN]).post(reverse("accounts:user_new"), {**NEW, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_user_model().objects.count() == before
    assert not AuditEntry.objects.filter(action="create").exists()


def test_it_refuses_an_agency_of_another_program_in_the_action(world):
    from offramp.access.scope import Actor

    foreign = Agency.objects.create(program=world.other_program, name="Elsewhere PD", kind="police")
    actor = Actor(
        user=world.users[Role.SYSTEM_ADMIN], program=world.program, roles=frozenset({Role.SYSTEM_ADMIN})
    )
    data = {k: v for k, v in NEW.items() if k != "agency"}
    with pytest.raises(actions.ValidationError, match="agencies"):
        actions.staff_create(actor=actor, agency_id=foreign.pk, **data)
    assert not get_user_model().objects.filter(username="dreyes").exists()


def test_it_adds_a_role_and_the_user_signs_in_again(world, login):
    manager = world.users[Role.CASE_MANAGER]
    theirs = Client()
    theirs.force_login(manager)
    assert theirs.get(reverse("cases:caseload")).status_code == 200

    admin = login(world.users[Role.SYSTEM_ADMIN])
    url = reverse("accounts:user_roles", args=[manager.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"change": "add", "role": Role.CASE_SUPERVISOR, "agency": ""})
    assert response.status_code == 302
    assert _roles(manager, world.program) == {Role.CASE_MANAGER, Role.CASE_SUPERVISOR}
    entry = AuditEntry.objects.get(action="role_change")
    assert (entry.object_id, entry.detail) == (
        str(manager.pk),
        {"change": "added", "role": "case_supervisor"},
    )
    assert AuditEntry.objects.filter(action="session_end", object_id=str(manager.pk)).exists()

    page = theirs.get(reverse("cases:caseload"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("account_login"))


def test_it_removes_a_role_and_the_user_signs_in_again(world, login):
    manager = world.users[Role.CASE_MANAGER]
    Membership.objects.create(user=manager, program=world.program, role=Role.OFFICER)
    theirs = Client()
    theirs.force_login(manager)
    assert theirs.get(reverse("cases:caseload")).status_code == 200

    admin = login(world.users[Role.SYSTEM_ADMIN])
    url = reverse("accounts:user_roles", args=[manager.pk])
    assert admin.post(url, {"change": "remove", "role": Role.OFFICER}).status_code == 302
    assert _roles(manager, world.program) == {Role.CASE_MANAGER}
    assert AuditEntry.objects.get(action="role_change").detail == {"change": "removed", "role": "officer"}
    assert theirs.get(reverse("cases:caseload")).status_code == 302


def test_it_forces_sign_in_again_even_for_a_session_it_did_not_list(world, login, client):
    """The session's role fingerprint catches a change made behind the actions' back."""
    manager = world.users[Role.CASE_MANAGER]
    login(manager)
    assert client.get(reverse("cases:caseload")).status_code == 200
    Membership.objects.create(user=manager, program=world.program, role=Role.OFFICER)
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("who", "change", "role", "message"),
    [
        ("case_manager", "add", Role.CASE_MANAGER, "already has that role"),
        ("case_manager", "remove", Role.OFFICER, "does not have that role"),
        ("case_manager", "remove", Role.CASE_MANAGER, "only role in the program"),
        ("system_admin", "remove", Role.SYSTEM_ADMIN, "your own administrator role"),
    ],
)
def test_it_explains_a_refused_role_change_and_changes_nothing(world, login, who, change, role, message):
    user = world.users[who]
    if who == "system_admin":
        Membership.objects.create(user=user, program=world.program, role=Role.EVALUATOR)
    before = _roles(user, world.program)
    admin = login(world.users[Role.SYSTEM_ADMIN])
    response = admin.post(reverse("accounts:user_roles", args=[user.pk]), {"change": change, "role": role})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert _roles(user, world.program) == before
    assert not AuditEntry.objects.filter(action="role_change").exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_it_answers_404_to_anyone_but_an_administrator(world, login, role):
    client = login(world.users[role])
    officer = world.users[Role.OFFICER]
    url = reverse("accounts:user_roles", args=[officer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"change": "add", "role": Role.SYSTEM_ADMIN}).status_code == 404
    assert client.post(reverse("accounts:user_new"), {**NEW, "role": Role.SYSTEM_ADMIN}).status_code == 404
    assert _roles(officer, world.program) == {Role.OFFICER}
    assert not get_user_model().objects.filter(username="dreyes").exists()


def test_it_answers_404_for_an_account_in_another_program(world, login):
    admin = login(world.users[Role.SYSTEM_ADMIN])
    url = reverse("accounts:user_roles", args=[world.outsider.pk])
    assert admin.get(url).status_code == 404
    assert admin.post(url, {"change": "add", "role": Role.OFFICER}).status_code == 404
    assert _roles(world.outsider, world.program) == set()
