"""The use notice is acknowledged before sign-in; without the tick nobody signs in."""

from django.urls import reverse

from offramp.accounts.forms import BANNER_NOT_ACKNOWLEDGED
from offramp.programs.roles import Role
from tests.conftest import PASSWORD


def test_it_refuses_a_sign_in_without_the_acknowledgement(world, client):
    username = world.users[Role.OFFICER].username
    response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 200
    assert BANNER_NOT_ACKNOWLEDGED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "mfa" not in response.get("Location", "")


def test_it_shows_the_notice_and_the_box_to_tick(db, client):
    body = client.get(reverse("account_login")).content.decode()
    assert "Use is monitored and recorded" in body
    assert 'name="acknowledge"' in body and "required" in body


def test_it_goes_on_to_the_second_factor_once_acknowledged(world, client):
    username = world.users[Role.OFFICER].username
    response = client.post(
        reverse("account_login"), {"login": username, "password": PASSWORD, "acknowledge": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in until the second factor
