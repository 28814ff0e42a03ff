"""Shared fixtures: one program with a persona per role, and an outsider in another program.

Participant records are made through the access layer's trusted block, as the
generator and the actions do; tests then read them back only through pages and queries.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.accounts.mfa import demo_totp_enrol
from offramp.cases.last_contact import last_contact_refresh
from offramp.cases.models import Case, Contact, Status, StatusChange
from offramp.people.models import Person
from offramp.programs.models import Agency, Membership, Program
from offramp.programs.roles import Role
from offramp.referrals.models import Door, Referral

# Property tests check what is true, never how fast: no per-example deadline (a busy machine is slow).
hypothesis_settings.register_profile("offramp", deadline=None)
hypothesis_settings.load_profile("offramp")

PASSWORD = "correct horse battery staple"


def make_user(username: str, program: Program, *roles: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, first_name=username.title()
    )
    for role in roles:
        Membership.objects.create(user=user, program=program, role=role)
    demo_totp_enrol(user)  # every account has a second factor; tests/browser/pages.py `sign_in` uses it
    return user


def make_case(
    program,
    *,
    manager=None,
    officer=None,
    first="Ana",
    last="Lopez",
    dob=dt.date(1980, 5, 17),
    status=Status.ACTIVE,
    consent=True,
    contacts=1,
):
    """A person with a referral, a case, its history and a contact."""
    now = timezone.now()
    with trusted("tests"):
        person = Person.objects.create(
            program=program, legal_first_name=first, legal_last_name=last, date_of_birth=dob, sex=1, white=1
        )
        referral = Referral.objects.create(
            program=program,
            person=person,
            door=Door.ARREST,
            referred_at=now - dt.timedelta(days=40),
            referring_officer=officer,
            offence_statute="RCW 69.50.4013",
            offence_nibrs="35A",
            offence_description="Possession of a controlled substance",
            incident_number="26-000001",
        )
        intake = None if status == Status.REFERRED else now - dt.timedelta(days=35)
        case = Case.objects.create(
            program=program,
            person=person,
            referral=referral,
            case_manager=manager,
            status=status,
            opened_at=referral.referred_at,
            intake_due=(referral.referred_at + dt.timedelta(days=30)).date(),
            intake_completed_at=intake,
            status_changed_at=intake or referral.referred_at,
            exit_reason="goals_met" if status == Status.EXITED else "",
        )
        StatusChange.objects.create(
            program=program, case=case, to_status=Status.REFERRED, at=referral.referred_at
        )
        for i in range(contacts):
            Contact.objects.create(
                program=program,
                case=case,
                kind=Contact.Kind.STREET_OUTREACH,
                at=now - dt.timedelta(days=3 + i),
                by=manager,
            )
        last_contact_refresh([case.pk])
        if consent:
            Consent.objects.create(
                program=program,
                person=person,
                recipient_class=Consent.Recipient.PROSECUTOR,
                categories=[Category.STATUS],
                purpose="Charging coordination",
                signed_at=now - dt.timedelta(days=30),
            )
    return case


@dataclass
class World:
    program: Program
    other_program: Program
    users: dict  # role -> user in `program`
    outsider: object  # a case manager (and every other role) in `other_program`
    own_case: Case  # on the case manager's caseload, referred by the officer
    other_case: Case  # same program, another case manager, another officer
    foreign_case: Case  # in the other program


def build_world() -> World:
    """The shared world, as a plain function so fixtures with other database modes can build it."""
    program = Program.objects.create(
        name="Test County LEAD", slug="test", jurisdiction="Test County", time_zone="America/Denver"
    )
    other = Program.objects.create(
        name="Elsewhere LEAD", slug="elsewhere", jurisdiction="Elsewhere", time_zone="America/New_York"
    )
    Agency.objects.create(program=program, name="Test PD", kind=Agency.Kind.POLICE)
    users = {role: make_user(role.replace("_", ""), program, role) for role in Role}
    second_manager = make_user("secondcm", program, Role.CASE_MANAGER)
    second_officer = make_user("secondofficer", program, Role.OFFICER)
    outsider = make_user("outsider", other, *Role)
    own = make_case(program, manager=users[Role.CASE_MANAGER], officer=users[Role.OFFICER])
    other_case = make_case(
        program,
        manager=second_manager,
        officer=second_officer,
        first="Ben",
        last="Okoro",
        dob=dt.date(1975, 1, 2),
    )
    foreign = make_case(
        other, manager=outsider, officer=outsider, first="Cal", last="Reed", dob=dt.date(1990, 3, 4)
    )
    return World(program, other, users, outsider, own, other_case, foreign)


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request):
    """Each pytest-xdist worker its own test database, as pytest-django does, which knows SQLite only by
    Django's engine name: offramp's SQLite engine tests in memory (Django's default), one per process."""
    from django.conf import settings

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    database = settings.DATABASES["default"]
    if worker and database["ENGINE"] != "offramp.ops.sqlite":
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{worker}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The default hasher's million PBKDF2 rounds would cost seconds per test; hashing itself is Django's."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: allauth keeps sign-in rate limits and used codes there."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
