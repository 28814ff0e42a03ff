"""The funder report's page and CSV: small cells suppressed at the program's threshold, audited, a bad
quarter refused by name, formula cells neutralised, and constant queries as the program grows."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from offramp.reports import funder
from offramp.reports.measures import MEASURES, Measure
from offramp.reports.quarter import ERR_QUARTER
from tests.reports import dashboard_data

URL = "/program/funder/"
CSV_URL = "/program/funder/measures.csv"


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_hides_small_counts_and_audits_the_reading(world, login):
    dashboard_data.build(world)  # the program's threshold: the site default, 11
    page = login(world.users[Role.CASE_SUPERVISOR]).get(URL + "?quarter=2025-Q1").content.decode()
    assert "&lt;11" in page and "66.7%" not in page and "7.0 days" not in page
    assert "Not held: overdose events are not recorded." in page
    entry = AuditEntry.objects.filter(detail__view="funder").get()
    assert entry.actor == world.users[Role.CASE_SUPERVISOR]
    assert entry.detail == {"view": "funder", "quarter": "2025-Q1"}


def test_it_lays_the_csv_out_like_the_questionnaire(world, login, settings):
    settings.SMALL_CELL = 2
    dashboard_data.build(world)
    world.program.configuration = {"small_cell_threshold": 3}
    world.program.save()
    response = login(world.users[Role.PROJECT_MANAGER]).get(CSV_URL + "?quarter=2025-Q1")
    assert response["Content-Disposition"] == 'attachment; filename="funder-measures-2025-Q1.csv"'
    rows = _csv(response)
    assert rows[0] == funder.CSV_HEADER
    assert [row[0] for row in rows[1:]] == [m.number for m in MEASURES]
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["D5"][1] == MEASURES[4].question and by_number["D5"][2] == "3"
    assert by_number["D6"][2] == "<3" and by_number["D6"][3].startswith("Suppressed: fewer than 3 people.")
    assert by_number["D1"][2] == "0"  # no screening in the quarter: zero reveals no one
    assert by_number["D21"][2] == "not held"
    assert AuditEntry.objects.filter(detail__view="funder_csv", detail__quarter="2025-Q1").count() == 1


def test_it_neutralises_a_formula_in_any_cell(world, login, monkeypatch):
    measure = Measure("=D1", '=HYPERLINK("http://x")', "@SUM(A1)")
    monkeypatch.setattr(funder, "MEASURES", (*MEASURES, measure))
    rows = _csv(login(world.users[Role.PROJECT_MANAGER]).get(CSV_URL + "?quarter=2025-Q1"))
    assert rows[-1] == ["'=D1", '\'=HYPERLINK("http://x")', "not held", "'@SUM(A1)"]


def test_it_refuses_a_bad_quarter_by_name_and_shows_nothing(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.get(URL + "?quarter=2025-Q9")
    assert response.status_code == 400
    assert escape(ERR_QUARTER) in response.content.decode()
    assert "D1" not in response.content.decode()
    assert client.get(CSV_URL + "?quarter=nope").status_code == 400
    assert not AuditEntry.objects.filter(detail__view__startswith="funder").exists()


@pytest.mark.slow
def test_it_costs_the_same_queries_at_100_and_10000_people(db, client):
    program = seed_program(people=100, seed=7).program
    user = get_user_model().objects.get(username=DEMO_ACCOUNTS[Role.PROJECT_MANAGER][0])
    client.force_login(user)

    def measure():
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured)

    small = measure()
    seed_program(people=9_900, seed=8)
    assert program.pk and small == measure()
