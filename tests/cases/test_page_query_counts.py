"""Every participant-data page costs the same number of SQL queries at 100 and at 10,000 people.

The pages and who may open them come from tests/access/test_url_matrix.py (PAGES, `_allowed`,
`_url`); each is opened by the seeded program's named account for each role that may, on records
made once at 100 people, then again after the same program grows a hundredfold.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from offramp.access.scope import trusted
from offramp.cases.models import Case
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from offramp.programs.roles import Role
from tests.access import test_url_matrix as matrix

ROLES = (Role.CASE_MANAGER, Role.CASE_SUPERVISOR, Role.PROJECT_MANAGER, Role.OFFICER, Role.PROSECUTOR)


def _world(program):
    """The matrix's "own" records in the seeded program: a case of the named case manager, referred by
    the named officer where the seed made one (the officer's own referral pages need it)."""
    with trusted("tests"):
        mine = Case.objects.filter(
            program=program, case_manager__username=DEMO_ACCOUNTS[Role.CASE_MANAGER][0]
        )
        own = (
            mine.filter(referral__referring_officer__username=DEMO_ACCOUNTS[Role.OFFICER][0])
            .order_by("pk")
            .first()
            or mine.order_by("pk").first()
        )
    return SimpleNamespace(program=program, own_case=own, other_case=own, foreign_case=own)


def _visits(program):
    """(role, page, url) for every page each role may open, with its records made once, now."""
    world = _world(program)
    urls = {name: matrix._url(world, name, "own") for name in matrix.PAGES}  # some make a record: once each
    return [
        (role, name, urls[name])
        for name in matrix.PAGES
        for role in ROLES
        if matrix._allowed(role, name, "own")
    ]


def _counts(client, visits):
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS.values()])
    }
    counts = {}
    for role, name, url in visits:
        client.force_login(users[DEMO_ACCOUNTS[role][0]])
        client.get(url)  # warm per-process caches; the second request is the one counted
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[(role.value, name)] = (response.status_code, len(captured))
    return counts


@pytest.mark.slow
def test_it_issues_the_same_queries_on_every_page_at_100_and_10000_people(db, client):
    program = seed_program(people=100, seed=7).program
    visits = _visits(program)
    small = _counts(client, visits)
    seed_program(people=9_900, seed=8)  # the same program, grown a hundredfold
    large = _counts(client, visits)

    assert len(visits) > 40  # every role's pages, not a handful
    refused = {key: status for key, (status, _n) in small.items() if status != 200}
    assert not refused, f"pages the matrix allows answered otherwise: {refused}"
    grew = {key: (small[key][1], large[key][1]) for key in small if small[key] != large[key]}
    assert not grew, f"(role, page): (queries at 100, at 10,000) where the count changed: {grew}"
