"""Case transfers have pages: the case team requests one on the case's transfer page; a case
supervisor accepts (the case moves) or declines it with a reason on the transfers page."""

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.transitions.actions import ERR_TRANSFER_DECLINE_REASON, ERR_TRANSFER_OPEN
from offramp.transitions.models import CaseTransfer


def request_transfer(client, world, **data):
    url = reverse("transitions:transfer", args=[world.own_case.pk])
    return client.post(
        url, {"to_manager": world.other_case.case_manager.pk, "reason": "Moving across town", **data}
    )


def waiting(world):
    with trusted("test"):
        return CaseTransfer.objects.get(case=world.own_case, status="requested")


def test_the_case_team_requests_a_transfer_on_the_page(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    page = client.get(reverse("transitions:transfer", args=[world.own_case.pk])).content.decode()
    assert "Move the case to" in page and "Secondcm" in page
    assert f'<option value="{world.users[Role.CASE_MANAGER].pk}"' not in page  # not to the current one
    response = request_transfer(client, world)
    assert response.status_code == 302
    transfer = waiting(world)
    assert (transfer.to_manager, transfer.reason) == (world.other_case.case_manager, "Moving across town")
    again = request_transfer(client, world)
    assert again.status_code == 400 and ERR_TRANSFER_OPEN in again.content.decode()
    shown = client.get(reverse("transitions:transfer", args=[world.own_case.pk])).content.decode()
    assert "Requested: to Secondcm" in shown


def test_it_refuses_a_request_without_a_reason_and_changes_nothing(world, login):
    response = request_transfer(login(world.users[Role.CASE_MANAGER]), world, reason="")
    assert response.status_code == 400
    with trusted("test"):
        assert not CaseTransfer.objects.exists()


def test_a_supervisor_accepts_and_the_case_moves(world, login):
    request_transfer(login(world.users[Role.CASE_MANAGER]), world)
    transfer = waiting(world)
    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    page = supervisor.get(reverse("transitions:transfers")).content.decode()
    assert "Ana Lopez" in page and "Moving across town" in page
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.detail["ids"]) == ("list", [transfer.pk])
    url = reverse("transitions:transfer_decide", args=[transfer.pk])
    assert supervisor.post(url, {"decision": "accept"}).status_code == 302
    with trusted("test"):
        transfer.refresh_from_db()
        world.own_case.refresh_from_db()
    assert transfer.status == "completed" and world.own_case.case_manager == world.other_case.case_manager
    assert "No transfer is waiting." in supervisor.get(reverse("transitions:transfers")).content.decode()


def test_a_decline_needs_a_reason(world, login):
    request_transfer(login(world.users[Role.CASE_MANAGER]), world)
    transfer = waiting(world)
    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    url = reverse("transitions:transfer_decide", args=[transfer.pk])
    refused = supervisor.post(url, {"decision": "decline", "reason": ""})
    assert refused.status_code == 400 and ERR_TRANSFER_DECLINE_REASON in refused.content.decode()
    assert waiting(world).pk == transfer.pk
    assert supervisor.post(url, {"decision": "decline", "reason": "Keep continuity"}).status_code == 302
    with trusted("test"):
        transfer.refresh_from_db()
        world.own_case.refresh_from_db()
    assert (transfer.status, transfer.decline_reason) == ("declined", "Keep continuity")
    assert world.own_case.case_manager == world.users[Role.CASE_MANAGER]


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.PROJECT_MANAGER, Role.OFFICER, Role.SERGEANT])
def test_only_a_supervisor_sees_and_decides_transfers(world, login, role):
    request_transfer(login(world.users[Role.CASE_MANAGER]), world)
    transfer = waiting(world)
    client = login(world.users[role])
    assert client.get(reverse("transitions:transfers")).status_code == 404
    url = reverse("transitions:transfer_decide", args=[transfer.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert waiting(world).pk == transfer.pk
