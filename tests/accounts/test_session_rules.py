"""Idle and absolute time-outs, and re-authentication after a role change."""

import time

from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.accounts.sessions import IDLE_MESSAGE, LAST_SEEN, SIGNED_IN_AT
from offramp.programs.models import Membership
from offramp.programs.roles import Role


def _age(client, key, seconds):
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_it_signs_out_after_thirty_idle_minutes(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    assert client.get(reverse("cases:caseload")).status_code == 200
    _age(client, LAST_SEEN, 29 * 60)
    assert client.get(reverse("cases:caseload")).status_code == 200  # and that request counts as activity
    _age(client, LAST_SEEN, 31 * 60)
    response = client.get(reverse("cases:caseload"), follow=True)
    assert response.redirect_chain[0][0] == reverse("account_login") + "?next=%2Fcaseload%2F"
    assert IDLE_MESSAGE.format(minutes=30) in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="session_end")
    assert entry.detail == {"reason": "idle"}


def test_it_signs_out_twelve_hours_after_sign_in_however_active(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    client.get(reverse("cases:caseload"))
    _age(client, SIGNED_IN_AT, 12 * 3600 + 1)
    assert client.get(reverse("cases:caseload")).status_code == 302
    assert AuditEntry.objects.get(action="session_end").detail == {"reason": "absolute"}


def test_it_asks_for_sign_in_again_after_a_role_change(world, login):
    user = world.users[Role.OFFICER]
    client = login(user)
    assert client.get(reverse("referrals:mine")).status_code == 200
    Membership.objects.create(user=user, program=world.program, role=Role.CASE_MANAGER)
    assert client.get(reverse("referrals:mine")).status_code == 302
    assert AuditEntry.objects.get(action="session_end").detail == {"reason": "role_change"}


def test_it_ends_the_server_session_on_sign_out(world, login):
    from django.contrib.sessions.models import Session

    client = login(world.users[Role.CASE_MANAGER])
    key = client.session.session_key
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
