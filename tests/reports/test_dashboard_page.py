"""The dashboard page: small cells suppressed at the program's threshold, filters refused with a clear
message, audited, under 150 KB, and the same number of queries at 100 and 10,000 people."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from offramp.reports import cells
from offramp.reports.period import ERR_DOOR, ERR_MONTH, ERR_ORDER
from tests.reports import dashboard_data

URL = "/program/dashboard/"
PERIOD = "?from=2025-01&to=2025-03"


def test_it_hides_small_counts_and_what_rests_on_them(world, login):
    dashboard_data.build(world)  # the program's threshold: the site default, 11
    page = login(world.users[Role.CASE_SUPERVISOR]).get(URL + PERIOD).content.decode()
    assert "&lt;11" in page
    assert "20.0 minutes" not in page  # the hand-off median of 3
    assert "60.0%" not in page  # the intake completion rate of 3 in 5
    assert "Median days to intake" in page and "suppressed" in page


def test_it_reads_the_threshold_from_the_program(world, login, settings):
    settings.SMALL_CELL = 2  # the deployment's floor (OFFRAMP_SMALL_CELL); a program may only raise it
    dashboard_data.build(world)
    world.program.configuration = {"small_cell_threshold": 3}
    world.program.save()
    page = login(world.users[Role.PROJECT_MANAGER]).get(URL + PERIOD).content.decode()
    assert "&lt;3" in page and "&lt;11" not in page
    assert "20.0 minutes" in page  # three arrivals: no longer a small cell
    assert "60.0%" in page  # intakes: 3 completed of 5
    assert "66.7%" not in page  # 2 of 3 within the target: 2 is still a small cell


def test_it_hides_a_second_cell_when_one_alone_could_be_worked_out():
    shown = cells.counts([15, 2, 30, 0], threshold=11)
    assert [c.text for c in shown] == ["<11", "<11", "30", "0"]
    assert [c.text for c in cells.counts([15, 20], threshold=11)] == ["15", "20"]


def test_it_refuses_a_bad_filter_by_name_with_nothing_shown(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    for query, message in (
        ("?from=2025-13", ERR_MONTH.format(field="from")),
        ("?from=2025-05&to=2025-01", ERR_ORDER),
        ("?door=jail", ERR_DOOR),
    ):
        response = client.get(URL + query)
        assert response.status_code == 400
        assert escape(message) in response.content.decode()
        assert "Referrals by door and month" not in response.content.decode()


def test_it_audits_each_reading(world, login):
    login(world.users[Role.PROJECT_MANAGER]).get(URL + PERIOD + "&door=arrest")
    entry = AuditEntry.objects.filter(detail__view="dashboard").get()
    assert entry.actor == world.users[Role.PROJECT_MANAGER]
    assert entry.detail == {"view": "dashboard", "from": "2025-01", "to": "2025-03", "door": "arrest"}


@pytest.mark.slow
def test_it_costs_the_same_queries_at_100_and_10000_people_and_stays_small(db, client):
    program = seed_program(people=100, seed=7).program
    user = get_user_model().objects.get(username=DEMO_ACCOUNTS[Role.PROJECT_MANAGER][0])
    client.force_login(user)

    def measure():
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured), len(response.content)

    small, _size = measure()
    seed_program(people=9_900, seed=8)
    large, size = measure()
    assert program.pk and small == large
    assert size < 150_000
