"""Supervisors assign and reassign cases: a warning past the soft limit, a stop at the hard limit."""

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.models import Case, Status
from offramp.programs.roles import Role
from tests.conftest import make_case, make_user


def manager_of(case):
    with trusted("tests"):
        return Case.objects.get(pk=case.pk).case_manager_id


def assign(client, case, user, **extra):
    return client.post(reverse("cases:assign", args=[case.pk]), {"case_manager": user.pk, **extra})


@pytest.fixture
def limits(world):
    world.program.configuration = {"caseload_soft_limit": 2, "caseload_hard_limit": 3}
    world.program.save()
    return world


def test_it_reassigns_a_case_and_audits_it(world, login):
    target = world.other_case
    response = assign(login(world.users[Role.CASE_SUPERVISOR]), target, world.users[Role.CASE_MANAGER])
    assert response.status_code == 302
    assert manager_of(target) == world.users[Role.CASE_MANAGER].pk
    entry = AuditEntry.objects.filter(object_type="Case", object_id=str(target.pk), action="update").get()
    assert entry.detail["case_manager"] == world.users[Role.CASE_MANAGER].pk


def test_it_warns_past_the_soft_limit_and_assigns_when_confirmed(limits, login):
    world = limits
    manager = world.users[Role.CASE_MANAGER]
    make_case(world.program, manager=manager, last="Two")  # the manager now has 2 open cases
    client = login(world.users[Role.CASE_SUPERVISOR])
    response = assign(client, world.other_case, manager)
    assert response.status_code == 400
    body = response.content.decode()
    assert "would have 3 open cases, above the program&#x27;s guide of 2" in body
    assert "Assign anyway" in body
    assert manager_of(world.other_case) != manager.pk
    assert assign(client, world.other_case, manager, confirm="True").status_code == 302
    assert manager_of(world.other_case) == manager.pk


def test_it_stops_at_the_hard_limit_even_when_confirmed(limits, login):
    world = limits
    manager = world.users[Role.CASE_MANAGER]
    for last in ("Two", "Three"):
        make_case(world.program, manager=manager, last=last)
    make_case(
        world.program, manager=manager, last="Closed", status=Status.EXITED
    )  # exited cases do not count
    response = assign(login(world.users[Role.CASE_SUPERVISOR]), world.other_case, manager, confirm="True")
    assert response.status_code == 400
    assert "already has 3 open cases: the program&#x27;s limit is 3." in response.content.decode()
    assert manager_of(world.other_case) != manager.pk


def test_it_assigns_only_to_an_active_case_manager_of_the_program(world, login):
    client = login(world.users[Role.CASE_SUPERVISOR])
    for user in (world.users[Role.OFFICER], world.outsider):
        assert assign(client, world.other_case, user).status_code == 400
    retired = make_user("retiredcm", world.program, Role.CASE_MANAGER)
    retired.memberships.update(is_active=False)
    assert assign(client, world.other_case, retired).status_code == 400
    assert manager_of(world.other_case) != world.users[Role.OFFICER].pk


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.PROJECT_MANAGER, Role.OFFICER, Role.SYSTEM_ADMIN])
def test_it_lets_only_supervisors_assign(world, login, role):
    response = assign(login(world.users[role]), world.own_case, world.users[Role.CASE_MANAGER])
    assert response.status_code == 404


def test_it_hides_another_programs_case_from_a_supervisor(world, login):
    response = assign(
        login(world.users[Role.CASE_SUPERVISOR]), world.foreign_case, world.users[Role.CASE_MANAGER]
    )
    assert response.status_code == 404
    assert manager_of(world.foreign_case) == world.outsider.pk
