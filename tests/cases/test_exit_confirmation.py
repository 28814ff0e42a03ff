"""'Exit the case' asks for confirmation on the case page (no script): the first post changes nothing."""

from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.models import ExitReason, Status
from offramp.programs.roles import Role


def test_it_asks_before_exiting_and_changes_nothing(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    url = reverse("cases:exit", args=[world.own_case.pk])
    writes = AuditEntry.objects.exclude(action="read").count()
    page = client.post(url, {"exit_reason": "goals_met", "note": "Housed"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Exit the case?" in body and "Yes, exit the case" in body
    assert "“Goals met”" in body and "“Housed”" in body
    assert 'name="confirmed" value="yes"' in body
    with trusted("test"):
        world.own_case.refresh_from_db()
    assert world.own_case.status == Status.ACTIVE
    assert AuditEntry.objects.exclude(action="read").count() == writes


def test_it_exits_once_confirmed(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    url = reverse("cases:exit", args=[world.own_case.pk])
    response = client.post(url, {"exit_reason": "goals_met", "note": "Housed", "confirmed": "yes"})
    assert response.status_code == 302
    with trusted("test"):
        world.own_case.refresh_from_db()
    assert (world.own_case.status, world.own_case.exit_reason) == (Status.EXITED, ExitReason.GOALS_MET)


def test_it_does_not_ask_about_an_invalid_choice(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    response = client.post(reverse("cases:exit", args=[world.own_case.pk]), {"exit_reason": "drug_use"})
    assert response.status_code == 400
    assert "Exit the case?" not in response.content.decode()


def test_it_hides_the_confirm_step_from_another_case_manager(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    response = client.post(reverse("cases:exit", args=[world.other_case.pk]), {"exit_reason": "goals_met"})
    assert response.status_code == 404
