"""Enrolment counts grouped in SQL equal the per-case count they replace, on seeded data."""

from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.accounts.models import User
from offramp.cases.models import Case
from offramp.cases.queries import enrolment_counts
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program


def _by_case(program) -> dict:
    """The former computation: every case's year (in the program's zone) and door, counted in Python."""
    counts: dict = {}
    with trusted("tests"):
        for opened_at, door in Case.objects.filter(program=program).values_list(
            "opened_at", "referral__door"
        ):
            key = (opened_at.astimezone(program.zone).year, door or "")
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_sql_counts_equal_the_per_case_count_on_seeded_data(db, settings):
    settings.SMALL_CELL = 11
    program = seed_program(people=600, seed=3).program
    seed_program(people=40, seed=4, slug="other")  # another program's cases are not counted
    user = User.objects.get(username=DEMO_ACCOUNTS[Role.EVALUATOR][0])
    rows = enrolment_counts(Actor(user=user, program=program, roles=frozenset({Role.EVALUATOR})))
    expected = _by_case(program)
    assert {(r.year, r.door) for r in rows} == set(expected)
    assert [r.count for r in rows] == [n if n >= 11 else None for _key, n in sorted(expected.items())]
    assert sum(expected.values()) == 600
