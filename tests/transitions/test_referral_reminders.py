"""The daily reminders tell the case manager about due follow-ups and stuck referrals, once each."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.notifications.models import Notification
from offramp.programs.roles import Role
from offramp.transitions import actions
from offramp.transitions.tasks import service_referral_reminders
from tests.conftest import build_world


def _inbox(user):
    with trusted("tests"):
        return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


# The worker closes connections that are inside a transaction, as a real worker would: commit for real.
@pytest.mark.django_db(transaction=True)
def test_it_reminds_once_in_the_real_worker():
    world = build_world()
    manager = world.users[Role.CASE_MANAGER]
    actor = Actor(user=manager, program=world.program, roles=frozenset({Role.CASE_MANAGER}))
    now = timezone.now()
    today = timezone.localdate(now, timezone=world.program.zone)
    stuck = actions.transition_referral_create(
        actor=actor,
        case_id=world.own_case.pk,
        area="housing",
        provider_name="Harbor Housing",
        now=now - dt.timedelta(days=15),
    )
    due = actions.transition_referral_create(
        actor=actor,
        case_id=world.own_case.pk,
        area="income",
        provider_name="Benefits office",
        follow_up_on=today,
    )
    actions.transition_referral_create(  # recent, no follow-up date yet: nothing to say
        actor=actor,
        case_id=world.own_case.pk,
        area="legal",
        provider_name="Legal aid",
        now=now - dt.timedelta(days=3),
    )
    expected = [
        f"service-referral-follow-up:{due.pk}:{today:%Y-%m-%d}",
        f"service-referral-stuck:{stuck.pk}:proposed",
    ]
    for _ in range(2):  # a second daily run sends nothing twice
        service_referral_reminders.enqueue(reschedule=False)
        call_command("worker", batch=True, verbosity=0)
        assert _inbox(manager) == expected


def test_it_follows_the_programs_stuck_setting(world):
    from offramp.transitions.reminders import reminders_run

    world.program.configuration = {"service_referral_stuck_days": 30}
    world.program.save()
    actor = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    actions.transition_referral_create(
        actor=actor,
        case_id=world.own_case.pk,
        area="housing",
        provider_name="Harbor Housing",
        now=timezone.now() - dt.timedelta(days=20),
    )
    assert reminders_run().stuck == []
    world.program.configuration = {}
    world.program.save()
    assert len(reminders_run().stuck) == 1
