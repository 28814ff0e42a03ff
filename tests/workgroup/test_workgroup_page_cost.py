"""The workgroup pages cost the same number of SQL queries at 100 and at 10,000 people."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offramp.demo.generator import seed_program
from offramp.workgroup import actions
from offramp.workgroup.models import Flag
from tests.workgroup.conftest import actor


def _queries(client, username, url):
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def _pages(client, program, day):
    pm = get_user_model().objects.get(username="projectmanager")
    meeting = actions.meeting_create(actor=actor(pm, program), held_on=day)
    due = day + dt.timedelta(days=7)
    officer = get_user_model().objects.get(username="officer")
    actions.action_item_add(
        actor=actor(pm, program),
        meeting_id=meeting.pk,
        owner_id=officer.pk,
        what="Bring the roster",
        due_on=due,
    )
    agenda = reverse("workgroup:agenda", args=[meeting.pk])
    return [
        _queries(client, "projectmanager", agenda),
        _queries(client, "casemanager", agenda),
        _queries(client, "officer", agenda),
        _queries(client, "projectmanager", reverse("workgroup:meetings")),
        _queries(client, "officer", reverse("workgroup:mine")),
    ]


@pytest.mark.slow
def test_it_issues_the_same_queries_at_100_and_10000_people(db, client):
    program = seed_program(people=100, seed=7).program
    today = timezone.localdate()
    small = _pages(client, program, today)
    seed_program(people=9_900, seed=8)
    large = _pages(client, program, today + dt.timedelta(days=7))
    assert [n for n, _ in small] == [n for n, _ in large]
    groups = {flag: items for flag, _label, items in large[0][1].context["view"].groups}
    assert len(groups[Flag.IN_THE_WIND]) == 40  # the large program really fills its agenda
    assert len(large[4][1].context["actions"]) == 2  # the first meeting's item is carried, and the second's
