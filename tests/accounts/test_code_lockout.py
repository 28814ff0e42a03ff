"""Wrong second-factor codes count toward the lockout together with wrong passwords (5 in 15 minutes)."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.accounts.lockout import ACCOUNT_LOCKED
from offramp.accounts.mfa import demo_totp_secret, totp_code
from offramp.accounts.models import FailedLogin
from offramp.programs.roles import Role
from tests.conftest import PASSWORD


def _password(client, username, password=PASSWORD):
    return client.post(
        reverse("account_login"), {"login": username, "password": password, "acknowledge": "on"}
    )


def _code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_it_locks_after_wrong_passwords_and_wrong_codes_together(world, client):
    user = world.users[Role.CASE_MANAGER]
    for _ in range(3):
        _password(client, user.username, "wrong password")
    _password(client, user.username)  # the right password: on to the code
    _code(client, "000000")
    user.refresh_from_db()
    assert user.locked_at is None
    _code(client, "111111")  # the fifth failure
    user.refresh_from_db()
    assert user.locked_at is not None
    assert AuditEntry.objects.get(action="lock").detail["failures"] == 5
    codes = AuditEntry.objects.filter(action="login_failed", detail__factor="second")
    assert [e.object_id for e in codes] == [str(user.pk)] * 2

    # The right code no longer signs in; neither does the right password.
    response = _code(client, totp_code(demo_totp_secret(user.username)))
    assert "_auth_user_id" not in client.session
    assert escape(ACCOUNT_LOCKED) in response.content.decode()
    fresh = Client()
    response = _password(fresh, user.username)
    assert "_auth_user_id" not in fresh.session and escape(ACCOUNT_LOCKED) in response.content.decode()


def test_it_locks_after_five_wrong_codes(world, client):
    user = world.users[Role.OFFICER]
    _password(client, user.username)
    for code in ("000000", "111111", "222222", "333333", "444444"):
        _code(client, code)
    user.refresh_from_db()
    assert user.locked_at is not None


def test_it_counts_only_code_failures_within_fifteen_minutes(world, client):
    user = world.users[Role.OFFICER]
    old = timezone.now() - dt.timedelta(minutes=16)
    FailedLogin.objects.bulk_create([FailedLogin(user=user, at=old) for _ in range(4)])
    _password(client, user.username)
    _code(client, "000000")
    user.refresh_from_db()
    assert user.locked_at is None
    assert FailedLogin.objects.filter(user=user).count() == 5
