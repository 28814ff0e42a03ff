"""Administrators release locked accounts and disable or enable accounts; each change is audited."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.accounts import actions
from offramp.programs.roles import Role


def _post(client, user, action):
    return client.post(reverse("accounts:user_status", args=[user.pk]), {"action": action})


def test_it_lets_an_administrator_release_a_locked_account(world, login):
    locked = world.users[Role.OFFICER]
    get_user_model().objects.filter(pk=locked.pk).update(locked_at=timezone.now())
    client = login(world.users[Role.SYSTEM_ADMIN])
    response = _post(client, locked, "unlock")
    assert response.status_code == 302
    locked.refresh_from_db()
    assert locked.locked_at is None
    entry = AuditEntry.objects.get(action="unlock")
    assert (entry.actor, entry.object_id) == (world.users[Role.SYSTEM_ADMIN], str(locked.pk))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_it_answers_404_to_anyone_but_an_administrator(world, login, role):
    client = login(world.users[role])
    assert _post(client, world.users[Role.OFFICER], "disable").status_code == 404
    assert world.users[Role.OFFICER].is_active


def test_it_answers_404_for_an_account_in_another_program(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    assert _post(client, world.outsider, "disable").status_code == 404
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


def test_it_ends_every_session_of_a_disabled_user_at_once(world, client, login):
    from django.test import Client

    target = world.users[Role.CASE_MANAGER]
    theirs = Client()
    theirs.force_login(target)
    assert theirs.get(reverse("cases:caseload")).status_code == 200
    admin = login(world.users[Role.SYSTEM_ADMIN])
    assert _post(admin, target, "disable").status_code == 302
    response = theirs.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert AuditEntry.objects.filter(action="disable", object_id=str(target.pk)).exists()
    ended = AuditEntry.objects.get(action="session_end", object_id=str(target.pk))
    assert ended.detail == {"reason": "disabled", "sessions": 1}


def test_it_refuses_a_change_that_makes_no_sense(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("accounts:user_status", args=[world.users[Role.OFFICER].pk]),
        {"action": "unlock"},
        follow=True,
    )
    assert actions.NOT_LOCKED in response.content.decode()
    assert _post(client, world.users[Role.SYSTEM_ADMIN], "disable").status_code == 302
    world.users[Role.SYSTEM_ADMIN].refresh_from_db()
    assert world.users[Role.SYSTEM_ADMIN].is_active
    assert not AuditEntry.objects.filter(action__in=["unlock", "disable"]).exists()
    assert AuditEntry.objects.count() > before  # the page reads themselves are audited
