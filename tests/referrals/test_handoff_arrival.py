"""The case manager records meeting the person of a warm hand-off, against the 30-minute target."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.programs.roles import Role
from offramp.referrals.actions import ERR_NO_HANDOFF, referral_handoff_arrive
from offramp.referrals.models import Referral
from offramp.referrals.queries import handoff_summary


def _requested(referral_id: int, at: dt.datetime, to) -> None:
    with trusted("tests"):
        Referral.objects.filter(pk=referral_id).update(handoff_requested_at=at, handoff_to=to)


def _referral(referral_id: int) -> Referral:
    with trusted("tests"):
        return Referral.objects.get(pk=referral_id)


def _actor(world, role) -> Actor:
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


def test_it_records_the_arrival_once_and_shows_it_against_the_target(world, login):
    manager = world.users[Role.CASE_MANAGER]
    referral_id = world.own_case.referral_id
    _requested(referral_id, timezone.now() - dt.timedelta(minutes=18, seconds=30), manager)
    client = login(manager)
    url = reverse("referrals:arrival", args=[referral_id])
    page = client.get(url).content.decode()
    assert "Ana Lopez" in page and "I am with the person now" in page
    assert f'href="{reverse("cases:detail", args=[world.own_case.pk])}"' in page

    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, url)
    first = _referral(referral_id)
    assert first.handoff_arrived_by == manager
    assert (first.handoff_arrived_at - first.handoff_requested_at) >= dt.timedelta(minutes=18)
    entry = AuditEntry.objects.filter(object_type="Referral", action="update").get()
    assert (entry.detail["minutes"], entry.detail["within_target"]) == (18, True)
    page = " ".join(client.get(url).content.decode().split())
    assert "18 minutes after the request, within the 30-minute target" in page
    assert "I am with the person now" not in page

    client.post(url)  # a double tap: the first record stands, nothing more is audited
    assert _referral(referral_id).handoff_arrived_at == first.handoff_arrived_at
    assert AuditEntry.objects.filter(object_type="Referral", action="update").count() == 1


def test_it_says_when_the_target_was_missed(world, login):
    requested = timezone.now() - dt.timedelta(hours=2)
    _requested(world.own_case.referral_id, requested, world.users[Role.CASE_MANAGER])
    referral_handoff_arrive(
        actor=_actor(world, Role.CASE_SUPERVISOR),
        referral_id=world.own_case.referral_id,
        now=requested + dt.timedelta(minutes=45),
    )
    page = " ".join(
        login(world.users[Role.CASE_MANAGER])
        .get(reverse("referrals:arrival", args=[world.own_case.referral_id]))
        .content.decode()
        .split()
    )
    assert "Casesupervisor met the person at" in page  # a supervisor who went in their place
    assert "45 minutes after the request, over the 30-minute target" in page


def test_it_refuses_a_referral_without_a_hand_off_and_changes_nothing(world, login):
    before = AuditEntry.objects.filter(action="update").count()
    with pytest.raises(ValidationError) as raised:
        referral_handoff_arrive(
            actor=_actor(world, Role.CASE_MANAGER), referral_id=world.own_case.referral_id
        )
    assert raised.value.messages == [ERR_NO_HANDOFF]
    assert _referral(world.own_case.referral_id).handoff_arrived_at is None
    assert AuditEntry.objects.filter(action="update").count() == before
    page = login(world.users[Role.CASE_MANAGER]).post(
        reverse("referrals:arrival", args=[world.own_case.referral_id])
    )
    assert ERR_NO_HANDOFF in page.content.decode()


def test_it_hides_another_case_managers_hand_off(world, login):
    # The other case's hand-off went to the second case manager: not this one's, nor the officer's.
    _requested(world.other_case.referral_id, timezone.now(), world.other_case.case_manager)
    for role in (Role.CASE_MANAGER, Role.OFFICER, Role.PROJECT_MANAGER):
        with pytest.raises(Http404):
            referral_handoff_arrive(actor=_actor(world, role), referral_id=world.other_case.referral_id)
    url = reverse("referrals:arrival", args=[world.other_case.referral_id])
    assert login(world.users[Role.CASE_MANAGER]).post(url).status_code == 404
    assert _referral(world.other_case.referral_id).handoff_arrived_at is None
    assert login(world.other_case.case_manager).get(url).status_code == 200


def test_it_summarises_hand_off_times_for_the_program(world):
    now = timezone.now()
    for case, minutes in ((world.own_case, 12), (world.other_case, 41)):
        _requested(case.referral_id, now - dt.timedelta(hours=1), case.case_manager)
        referral_handoff_arrive(
            actor=_actor(world, Role.CASE_SUPERVISOR),
            referral_id=case.referral_id,
            now=now - dt.timedelta(hours=1) + dt.timedelta(minutes=minutes),
        )
    summary = handoff_summary(_actor(world, Role.CASE_SUPERVISOR))
    assert summary == {"requested": 2, "arrived": 2, "median_minutes": 26.5, "within_target": 1}
    with pytest.raises(Http404):
        handoff_summary(_actor(world, Role.CASE_MANAGER))  # program-wide: not a caseload's view
    assert handoff_summary(_actor(world, Role.PROJECT_MANAGER), since=now)["requested"] == 0
