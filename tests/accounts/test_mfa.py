"""A second factor for every account: enrolment is forced, codes are single-use, recovery codes not stored."""

import json

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.urls import reverse

from offramp.accounts.mfa import demo_totp_secret, has_second_factor, totp_code
from offramp.programs.roles import Role
from tests.conftest import PASSWORD


def _new_user(world):
    from offramp.programs.models import Membership

    user = get_user_model().objects.create_user(username="newhire", password=PASSWORD)
    Membership.objects.create(user=user, program=world.program, role=Role.CASE_MANAGER)
    return user


def _sign_in(client, username):
    response = client.post(
        reverse("account_login"), {"login": username, "password": PASSWORD, "acknowledge": "on"}
    )
    assert "_auth_user_id" in client.session  # no second factor yet: the password alone signs in, once
    return response


def test_it_sends_a_user_without_a_second_factor_to_set_one_up(world, client):
    _sign_in(client, _new_user(world).username)
    for url in (reverse("cases:caseload"), reverse("home"), reverse("people:lookup")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_it_lets_the_user_in_once_enrolled(world, client):
    user = _new_user(world)
    _sign_in(client, user.username)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert has_second_factor(user)
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_it_signs_in_with_password_then_code(world, client):
    username = world.users[Role.CASE_MANAGER].username
    client.post(reverse("account_login"), {"login": username, "password": PASSWORD, "acknowledge": "on"})
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    code = totp_code(demo_totp_secret(username))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users[Role.CASE_MANAGER].pk)


def test_it_accepts_each_code_once(world):
    user = world.users[Role.OFFICER]
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).wrap()
    code = totp_code(demo_totp_secret(user.username))
    assert totp.validate_code(code) is True
    assert totp.validate_code(code) is False


def test_it_keeps_recovery_codes_single_use_and_out_of_the_database(world):
    user = world.users[Role.OFFICER]
    recovery = RecoveryCodes.activate(user)
    codes = recovery.get_unused_codes()
    stored = json.dumps(Authenticator.objects.get(pk=recovery.instance.pk).data)
    assert not any(code in stored for code in codes)  # a seed is stored, never the codes themselves
    fresh = Authenticator.objects.get(pk=recovery.instance.pk).wrap()
    assert fresh.validate_code(codes[0]) is True
    assert Authenticator.objects.get(pk=recovery.instance.pk).wrap().validate_code(codes[0]) is False


def test_it_seals_authenticator_secrets_in_the_database(world):
    user = world.users[Role.OFFICER]
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("enc1:")
    assert demo_totp_secret(user.username) not in stored
    seed = RecoveryCodes.activate(user).instance.data["seed"]
    assert seed.startswith("enc1:")
