"""The caseload page costs the same number of SQL queries at 100 and at 10,000 people."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offramp.cases.models import Status
from offramp.demo.generator import seed_program
from offramp.programs.roles import Role
from tests.conftest import make_case


def _queries_for(client, username, url):
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def _program_queries(client):
    own = _queries_for(client, "casemanager", reverse("cases:caseload"))
    first = _queries_for(client, "supervisor", reverse("cases:caseload") + "?sort=last_contact")[1]
    cursor = first.context["page"].next_cursor
    assert cursor  # the program fills more than one page
    everyone = _queries_for(
        client, "supervisor", reverse("cases:caseload") + f"?sort=last_contact&cursor={cursor}"
    )
    referrals = _queries_for(client, "officer", reverse("referrals:mine"))
    return own, everyone, referrals


@pytest.mark.slow
def test_it_issues_the_same_queries_at_100_and_10000_people(db, client):
    seed_program(people=100, seed=7)
    small = _program_queries(client)
    seed_program(people=9_900, seed=8)  # the same program, grown a hundredfold
    large = _program_queries(client)
    for (small_count, small_page), (large_count, large_page) in zip(small, large, strict=True):
        assert small_count == large_count
        assert len(large_page.context["page"].object_list) >= len(small_page.context["page"].object_list)
    # the large program really fills its pages
    assert large[1][1].context["page"].count.capped  # more than 1,000, not counted further


def test_it_shows_open_cases_by_default_and_every_status_on_request(world, login):
    manager = world.users[Role.CASE_MANAGER]
    exited = make_case(world.program, manager=manager, first="Dee", last="Exited", status=Status.EXITED)
    client = login(manager)
    default = client.get(reverse("cases:caseload")).context["page"].object_list
    everything = client.get(reverse("cases:caseload") + "?status=all").context["page"].object_list
    only_exited = client.get(reverse("cases:caseload") + "?status=exited").context["page"].object_list
    assert [c.pk for c in default] == [world.own_case.pk]
    assert {c.pk for c in everything} == {world.own_case.pk, exited.pk}
    assert [c.pk for c in only_exited] == [exited.pk]
