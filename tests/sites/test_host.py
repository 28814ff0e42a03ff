"""The host administrator creates programs and their first project manager, and sees counts across
programs: aggregate only, small cells suppressed, never a person; nobody else reaches these pages."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.cases.models import Status
from offramp.programs.models import Membership, Program
from offramp.sites.actions import ERR_SLUG, ERR_SLUG_TAKEN, ERR_TIME_ZONE
from offramp.sites.queries import STATUS_COLUMNS
from tests.conftest import make_case, make_user
from tests.markup import without_tokens

NEW = {
    "name": "North County LEAD",
    "slug": "north",
    "jurisdiction": "North County",
    "time_zone": "America/Chicago",
    "manager_first_name": "Rosa",
    "manager_last_name": "Quinn",
    "manager_username": "rquinn",
    "manager_email": "rquinn@example.org",
    "manager_password": "plover xylophone quarry 42",
}


@pytest.fixture
def host(world):
    user = make_user("host", world.program, Role.SYSTEM_ADMIN)
    get_user_model().objects.filter(pk=user.pk).update(is_host_admin=True)
    user.refresh_from_db()
    return user


def test_it_creates_a_program_and_its_first_project_manager(world, login, host):
    client = login(host)
    response = client.post(reverse("sites:program_new"), NEW)
    assert response.status_code == 302 and response["Location"] == reverse("sites:host")
    program = Program.objects.get(slug="north")
    assert (program.name, program.time_zone, program.configuration) == (
        "North County LEAD",
        "America/Chicago",
        {},
    )
    manager = get_user_model().objects.get(username="rquinn")
    assert manager.must_change_password and manager.check_password(NEW["manager_password"])
    assert list(Membership.objects.filter(user=manager).values_list("program__slug", "role")) == [
        ("north", Role.PROJECT_MANAGER)
    ]
    created = AuditEntry.objects.filter(action="create", program=program, actor=host)
    assert {(e.object_type, e.object_id) for e in created} == {
        ("Program", str(program.pk)),
        ("User", str(manager.pk)),
    }
    assert "North County LEAD" in client.get(reverse("sites:host")).content.decode()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"slug": "North County"}, ERR_SLUG),
        ({"slug": "test"}, ERR_SLUG_TAKEN.format(slug="test")),
        ({"time_zone": "Mars/Olympus"}, ERR_TIME_ZONE.format(value="Mars/Olympus")),
        ({"manager_username": "officer"}, "That username is already in use."),
        ({"manager_password": "short"}, "This password is too short."),
    ],
)
def test_it_names_each_problem_and_creates_nothing(world, login, host, changes, message):
    programs, users = Program.objects.count(), get_user_model().objects.count()
    response = login(host).post(reverse("sites:program_new"), {**NEW, **changes})
    assert response.status_code == 400
    assert message.split(":")[0] in response.content.decode().replace("&#x27;", "'")
    assert (Program.objects.count(), get_user_model().objects.count()) == (programs, users)


@pytest.mark.parametrize("role", list(Role))
def test_no_program_role_reaches_the_host_pages(world, login, role):
    client = login(world.users[role])
    assert client.get(reverse("sites:host")).status_code == 404
    assert client.get(reverse("sites:program_new")).status_code == 404
    assert client.post(reverse("sites:program_new"), NEW).status_code == 404
    assert not Program.objects.filter(slug="north").exists()


def test_it_shows_counts_side_by_side_with_small_cells_suppressed(world, login, host, settings):
    settings.SMALL_CELL = 3
    for i in range(4):
        make_case(world.program, first=f"P{i}", status=Status.ACTIVE)
    make_case(world.program, first="Gone", status=Status.EXITED)
    make_case(world.program, first="Away", status=Status.INACTIVE)
    client = login(host)
    with CaptureQueriesContext(connection) as few:
        rows = {r.program.slug: r for r in client.get(reverse("sites:host")).context["rows"]}
    for i in range(20):
        make_case(world.other_program, first=f"Q{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("sites:host"))
    assert len(few) == len(many)  # constant whatever the number of people
    test = rows["test"]
    # The world: two active cases, then four more, one exited and one inactive; eight referrals in all.
    assert test.referrals == 8
    statuses = dict(zip([status for status, _label in STATUS_COLUMNS], test.statuses, strict=True))
    assert statuses[Status.ACTIVE] == 6
    assert statuses[Status.EXITED] == statuses[Status.INACTIVE] == "suppressed"  # one each: too few
    assert statuses[Status.REFERRED] == 0
    assert rows["elsewhere"].referrals == "suppressed"  # one case there
    body = without_tokens(client.get(reverse("sites:host")).content.decode())
    assert "fewer than 3" in body
    for name in ("Lopez", "Okoro", "Reed", "P0", "Gone"):
        assert name not in body
    assert AuditEntry.objects.filter(action="list", actor=host, detail__view="sites_overview").exists()


def test_the_host_lands_on_the_programs_page(world, login, db):
    lone = make_user("lonehost", world.program)
    get_user_model().objects.filter(pk=lone.pk).update(is_host_admin=True)
    lone.refresh_from_db()
    response = login(lone).get(reverse("home"))
    assert response["Location"] == reverse("sites:host")
