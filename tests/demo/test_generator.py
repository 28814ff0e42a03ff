"""The synthetic program is deterministic per seed and covers every door, status and exit reason."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.models import Case, Contact, ExitReason, Status
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from offramp.people.models import Person
from offramp.programs.models import Membership
from offramp.referrals.models import Door, Referral

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def _snapshot(slug):
    with trusted("test"):
        people = list(
            Person.objects.filter(program__slug=slug)
            .order_by("id")
            .values_list("legal_first_name", "legal_last_name", "date_of_birth", "sex", "black_af_american")
        )
        cases = list(
            Case.objects.filter(program__slug=slug)
            .order_by("id")
            .values_list("status", "exit_reason", "opened_at")
        )
    return people, cases


def test_it_gives_the_same_program_for_the_same_seed(db):
    seed_program(people=300, seed=11, slug="a", now=NOW)
    seed_program(people=300, seed=11, slug="b", now=NOW)
    seed_program(people=300, seed=12, slug="c", now=NOW)
    assert _snapshot("a") == _snapshot("b")
    assert _snapshot("a") != _snapshot("c")


@pytest.fixture
def seeded(db):
    return seed_program(people=2000, seed=3, now=NOW)


def test_it_covers_every_door_status_and_exit_reason(seeded):
    with trusted("test"):
        doors = Counter(Referral.objects.values_list("door", flat=True))
        statuses = Counter(Case.objects.values_list("status", flat=True))
        exits = set(Case.objects.filter(status=Status.EXITED).values_list("exit_reason", flat=True))
    assert set(doors) == set(Door.values)
    assert doors[Door.ARREST] > doors[Door.SOCIAL_CONTACT] > doors[Door.COMMUNITY]
    assert set(statuses) == set(Status.values)
    assert exits == set(ExitReason.values)


def test_it_keeps_dates_plausible(seeded):
    with trusted("test"):
        for case in Case.objects.select_related("person", "referral"):
            assert case.opened_at <= NOW
            assert case.referral.referred_at == case.opened_at
            age = (case.opened_at.date() - case.person.date_of_birth).days / 365.25
            assert 18 <= age < 80
            if case.intake_completed_at:
                assert case.opened_at <= case.intake_completed_at <= NOW
            assert case.status_changed_at <= NOW
        first_contacts = Contact.objects.select_related("case")
        assert all(c.at >= c.case.intake_completed_at for c in first_contacts)
        pending = Case.objects.filter(status=Status.REFERRED)
        assert all(c.intake_completed_at is None for c in pending)


def test_it_resembles_the_people_lead_serves(seeded):
    with trusted("test"):
        people = Person.objects.all()
        total = people.count()
        men = people.filter(sex=1).count() / total
        black = people.filter(black_af_american=1).count() / total
        native = people.filter(am_ind_ak_native=1).count() / total
    assert 0.6 < men < 0.8
    assert 0.3 < black < 0.45  # well above the general population's share
    assert 0.05 < native < 0.12


def test_it_gives_every_role_a_named_demo_account_and_leaves_one_audit_entry(seeded):
    roles = dict(
        Membership.objects.filter(user__username__in=[a[0] for a in DEMO_ACCOUNTS.values()]).values_list(
            "user__username", "role"
        )
    )
    assert roles == {account[0]: role for role, account in DEMO_ACCOUNTS.items()}
    entry = AuditEntry.objects.get(action="seed")
    assert entry.detail == {"people": 2000, "seed": 3}


def test_it_seeds_from_the_command_line(db, capsys):
    call_command("seed", people=50, seed=2)
    assert "Seeded 50 people, 50 cases" in capsys.readouterr().out
    with trusted("test"):
        assert Person.objects.count() == 50
