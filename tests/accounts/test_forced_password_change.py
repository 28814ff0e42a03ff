"""A password an administrator set is replaced by its user at first sign-in, before any other page."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.accounts.mfa import demo_totp_enrol
from tests.accounts.test_role_admin import NEW

CHANGE = reverse("account_change_password")


def created(world, login):
    admin = login(world.users[Role.SYSTEM_ADMIN])
    assert admin.post(reverse("accounts:user_new"), NEW).status_code == 302
    user = get_user_model().objects.get(username=NEW["username"])
    demo_totp_enrol(user)  # the second factor comes first (tests/accounts/test_mfa.py); then the password
    return user


def test_it_sends_the_user_to_change_the_password_first(world, login, client):
    user = created(world, login)
    assert user.must_change_password
    client.force_login(user)
    for page in (reverse("referrals:mine"), reverse("home"), reverse("people:lookup")):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, CHANGE)
    assert client.post(reverse("referrals:new"), {"step": "person"}).status_code == 302
    page = client.get(CHANGE, follow=True)
    assert page.status_code == 200
    assert "An administrator set your password. Choose your own before you go on." in page.content.decode()

    mine = "wombat harbour lantern 77"
    response = client.post(CHANGE, {"oldpassword": NEW["password"], "password1": mine, "password2": mine})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(mine)
    assert client.get(reverse("referrals:mine")).status_code == 200
    entry = AuditEntry.objects.get(action="credential", object_id=str(user.pk))
    assert (entry.actor, entry.detail) == (user, {"change": "password changed by its user"})


def test_a_wrong_current_password_changes_nothing(world, login, client):
    user = created(world, login)
    client.force_login(user)
    mine = "wombat harbour lantern 77"
    response = client.post(CHANGE, {"oldpassword": "not it", "password1": mine, "password2": mine})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(NEW["password"])
    assert client.get(reverse("referrals:mine")).status_code == 302


def test_staff_who_chose_their_password_go_straight_in(world, login):
    assert login(world.users[Role.OFFICER]).get(reverse("referrals:mine")).status_code == 200
