"""Five failed sign-ins within 15 minutes lock an account until an administrator releases it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.accounts.lockout import ACCOUNT_LOCKED
from offramp.accounts.models import FailedLogin
from offramp.programs.roles import Role
from tests.conftest import PASSWORD


def _try(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password, "acknowledge": "on"})


def test_it_locks_after_five_failures_and_refuses_the_right_password(world, client):
    user = world.users[Role.OFFICER]
    for _ in range(4):
        _try(client, user.username, "wrong password")
    user.refresh_from_db()
    assert user.locked_at is None
    _try(client, user.email, "wrong again")  # the email counts against the same account
    user.refresh_from_db()
    assert user.locked_at is not None
    response = _try(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert escape(ACCOUNT_LOCKED) in response.content.decode()
    assert "_auth_user_id" not in client.session
    lock = AuditEntry.objects.get(action="lock")
    assert (lock.object_id, lock.detail["failures"]) == (str(user.pk), 5)


def test_it_counts_only_failures_within_fifteen_minutes(world, client):
    user = world.users[Role.OFFICER]
    old = timezone.now() - dt.timedelta(minutes=16)
    FailedLogin.objects.bulk_create([FailedLogin(user=user, at=old) for _ in range(4)])
    _try(client, user.username, "wrong password")
    user.refresh_from_db()
    assert user.locked_at is None


def test_it_does_not_count_names_that_are_no_account(world, client):
    for _ in range(5):
        _try(client, "nobody-here", "x")
    assert FailedLogin.objects.count() == 0
    assert AuditEntry.objects.filter(action="login_failed").count() == 5


def test_it_ends_the_locked_users_existing_session(world, client):
    user = world.users[Role.CASE_MANAGER]
    client.force_login(user)
    assert client.get(reverse("cases:caseload")).status_code == 200
    type(user).objects.filter(pk=user.pk).update(locked_at=timezone.now())
    assert client.get(reverse("cases:caseload")).status_code == 302


def _errors(response) -> str:
    import re

    found = re.search(r'<div class="errors" role="alert">(.*?)</div>', response.content.decode(), re.S)
    return found.group(1).strip() if found else ""


def test_it_answers_a_wrong_password_for_a_locked_account_as_for_no_account(world, client):
    user = world.users[Role.OFFICER]
    type(user).objects.filter(pk=user.pk).update(locked_at=timezone.now())
    locked = _try(client, user.username, "wrong password")
    nobody = _try(client, "nobody-here", "wrong password")
    assert escape(ACCOUNT_LOCKED) not in locked.content.decode()
    assert _errors(locked) and _errors(locked) == _errors(nobody)
    assert "account" not in ACCOUNT_LOCKED.lower()
