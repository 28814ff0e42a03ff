"""A program whose caseload raises every workgroup flag, and a meeting built from it."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Status
from offramp.programs.roles import Role
from offramp.referrals.models import Door, Referral
from offramp.workgroup import actions
from tests.conftest import make_case

DISCUSSION = "Sleeping at the shelter on 3rd; started buprenorphine"
DECISION = "Case manager to ask the clinic about a housing letter"


def actor(user, program) -> Actor:
    from offramp.workgroup.queries import actor_for

    return actor_for(user, program)


def arrest(program, case, *, days_ago=2):
    """A new arrest-door referral for a person already in a case."""
    with trusted("tests"):
        return Referral.objects.create(
            program=program,
            person=case.person,
            door=Door.ARREST,
            referred_at=timezone.now() - dt.timedelta(days=days_ago),
            offence_nibrs="35A",
            offence_description="Possession",
            incident_number="26-000777",
        )


@dataclass
class Flagged:
    world: object
    fresh: Case  # new referral, no case manager yet
    overdue: Case  # intake past due, the case manager's
    wind: Case  # in the wind, the second case manager's, consent to the prosecutor and to the police
    quiet: Case  # in the wind, the case manager's, no consent to the prosecutor
    arrested: Case  # the world's own case, with a new arrest


@pytest.fixture
def flagged(world) -> Flagged:
    users = world.users
    second = type(users[Role.CASE_MANAGER]).objects.get(username="secondcm")
    fresh = make_case(world.program, first="Nia", last="Fresh")
    with trusted("tests"):
        Case.objects.filter(pk=fresh.pk).update(opened_at=timezone.now() - dt.timedelta(days=2))
    overdue = make_case(
        world.program, manager=users[Role.CASE_MANAGER], first="Otto", last="Overdue", status=Status.REFERRED
    )
    wind = make_case(world.program, manager=second, first="Wyn", last="Wind", contacts=0)
    quiet = make_case(
        world.program,
        manager=users[Role.CASE_MANAGER],
        first="Quinn",
        last="Quiet",
        contacts=0,
        consent=False,
    )
    arrest(world.program, world.own_case)
    police_consent(world.program, wind)
    return Flagged(world, fresh, overdue, wind, quiet, world.own_case)


def identity_consent(program, case):
    with trusted("tests"):
        Consent.objects.create(
            program=program,
            person=case.person,
            recipient_class=Consent.Recipient.PROSECUTOR,
            categories=[Category.IDENTITY],
            purpose="Charging coordination",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )


@pytest.fixture
def meeting(flagged):
    world = flagged.world
    return actions.meeting_create(
        actor=actor(world.users[Role.PROJECT_MANAGER], world.program), held_on=timezone.localdate()
    )


def police_consent(program, case, categories=(Category.STATUS, Category.IDENTITY)):
    """The participant's consent to the referring police agency: what an officer may see on the agenda."""
    with trusted("tests"):
        return Consent.objects.create(
            program=program,
            person=case.person,
            recipient_class=Consent.Recipient.POLICE,
            categories=list(categories),
            purpose="Coordination with the referring officer",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )


@pytest.fixture
def police_consents(flagged):
    """Consents to the police from the participants the prosecutor has consents from (not Ana, not Quinn)."""
    for case in (flagged.fresh, flagged.overdue):
        police_consent(flagged.world.program, case)
