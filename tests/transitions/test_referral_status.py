"""A referral moves only along its lifecycle, keeps its history, and counts the days it waits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.programs.roles import Role
from offramp.transitions import actions, lifecycle
from offramp.transitions.models import ServiceReferral
from tests.transitions.conftest import give_consent


def _manager(world):
    return Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )


def _referred(world, now=None):
    give_consent(world.own_case)
    return actions.transition_referral_create(
        actor=_manager(world),
        case_id=world.own_case.pk,
        area="housing",
        provider_name="Harbor Housing",
        refer_now=True,
        now=now,
    )


def test_it_walks_a_referral_to_completion_with_dated_history(world):
    referral = _referred(world)
    for status in ("accepted", "connected", "completed", "closed"):
        referral = actions.transition_referral_update(
            actor=_manager(world), referral_id=referral.pk, to_status=status
        )
    with trusted("tests"):
        history = list(
            ServiceReferral.objects.get(pk=referral.pk).history.values_list("from_status", "to_status")
        )
    assert history == [
        ("", "proposed"),
        ("proposed", "referred"),
        ("referred", "accepted"),
        ("accepted", "connected"),
        ("connected", "completed"),
        ("completed", "closed"),
    ]


@pytest.mark.parametrize(
    ("start", "wanted"),
    [("proposed", "connected"), ("proposed", "completed"), ("closed", "referred"), ("declined", "accepted")],
)
def test_it_refuses_a_move_the_lifecycle_does_not_allow(world, start, wanted):
    assert not lifecycle.may_move(start, wanted)
    referral = (
        _referred(world)
        if start != "proposed"
        else actions.transition_referral_create(
            actor=_manager(world), case_id=world.own_case.pk, area="housing", provider_name="Harbor Housing"
        )
    )
    if start == "closed":
        referral = actions.transition_referral_update(
            actor=_manager(world), referral_id=referral.pk, to_status="closed"
        )
    if start == "declined":
        referral = actions.transition_referral_update(
            actor=_manager(world), referral_id=referral.pk, to_status="declined", reason="Full"
        )
    with pytest.raises(ValidationError):
        actions.transition_referral_update(actor=_manager(world), referral_id=referral.pk, to_status=wanted)
    with trusted("tests"):
        assert ServiceReferral.objects.get(pk=referral.pk).status == start


def test_it_needs_a_reason_to_decline(world):
    referral = _referred(world)
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_update(
            actor=_manager(world), referral_id=referral.pk, to_status="declined"
        )
    assert refused.value.messages == [actions.ERR_DECLINE_REASON]
    declined = actions.transition_referral_update(
        actor=_manager(world), referral_id=referral.pk, to_status="declined", reason="No beds until March"
    )
    assert declined.decline_reason == "No beds until March"


def test_it_counts_days_pending_until_connected(world):
    now = timezone.now()
    referral = _referred(world, now=now - dt.timedelta(days=9))
    assert lifecycle.days_pending(referral.created_at, None, now) == 9
    actions.transition_referral_update(
        actor=_manager(world), referral_id=referral.pk, to_status="connected", now=now - dt.timedelta(days=4)
    )
    with trusted("tests"):
        stored = ServiceReferral.objects.get(pk=referral.pk)
    assert lifecycle.days_pending(stored.created_at, stored.resolved_at, now) == 5


def test_it_records_the_providers_response(world):
    referral = _referred(world)
    updated = actions.transition_referral_update(
        actor=_manager(world), referral_id=referral.pk, provider_response="Intake booked for Tuesday 10am"
    )
    assert updated.provider_response == "Intake booked for Tuesday 10am"
    assert updated.provider_responded_at is not None and updated.status == "referred"


def test_it_hides_another_case_managers_referral(world):
    give_consent(world.other_case)
    supervisor = Actor(
        user=world.users[Role.CASE_SUPERVISOR], program=world.program, roles=frozenset({Role.CASE_SUPERVISOR})
    )
    referral = actions.transition_referral_create(
        actor=supervisor, case_id=world.other_case.pk, area="legal", provider_name="Legal aid"
    )
    with pytest.raises(Http404):
        actions.transition_referral_update(actor=_manager(world), referral_id=referral.pk, to_status="closed")


def test_it_refuses_bad_input(world):
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_create(actor=_manager(world), case_id=world.own_case.pk, area="housing")
    assert refused.value.messages == [actions.ERR_PROVIDER_NEEDED]
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_create(
            actor=_manager(world),
            case_id=world.own_case.pk,
            area="housing",
            service_hsds_id="00000000-0000-4000-8000-000000000000",
        )
    assert refused.value.messages == [actions.ERR_SERVICE_UNKNOWN]
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_create(
            actor=_manager(world),
            case_id=world.own_case.pk,
            area="housing",
            provider_name="X",
            follow_up_on=dt.date(2000, 1, 1),
        )
    assert refused.value.messages == [actions.ERR_FOLLOW_UP_PAST]
