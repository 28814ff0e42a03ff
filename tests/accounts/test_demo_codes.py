"""The demo works at once with MFA on: demo logins come with an authenticator and a way to read its code."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from offramp.accounts.mfa import demo_totp_secret, totp_code
from offramp.demo.generator import seed_program
from offramp.demo.logins import demo_logins_enable

PASSWORD = "lead-demo-password"


@pytest.fixture
def demo(db):
    seed_program(people=5, seed=3)
    with override_settings(MODE="demo"):
        demo_logins_enable(PASSWORD)
        yield


def _codes_around(username, action):
    """The codes current just before and just after `action` (a 30-second step may pass meanwhile)."""
    secret = demo_totp_secret(username)
    before = totp_code(secret)
    result = action()
    return result, {before, totp_code(secret)}


def test_it_prints_the_current_code_of_a_demo_login(demo, capsys):
    _, codes = _codes_around("casemanager", lambda: call_command("demo-code", "casemanager"))
    assert capsys.readouterr().out.strip() in codes


def test_it_shows_the_code_on_the_second_factor_page_of_a_demo_site(demo, client):
    client.post(reverse("account_login"), {"login": "supervisor", "password": PASSWORD, "acknowledge": "on"})
    page, codes = _codes_around(
        "supervisor", lambda: client.get(reverse("mfa_authenticate")).content.decode()
    )
    assert any(code in page for code in codes)
    assert "offramp demo-code supervisor" in page


def test_it_refuses_outside_a_demo_site(db):
    with pytest.raises(CommandError, match="only on a demo site"):
        call_command("demo-code", "casemanager")
