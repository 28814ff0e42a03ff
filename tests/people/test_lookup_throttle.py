"""The participant lookup is throttled per user and per address, and "who looked?" includes lookups."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.people.throttle import too_many_message

LOOKUP = reverse("people:lookup")


def _look(client, dob: dt.date, last="Lopez", **extra):
    data = {"last_name": last, "first_name": "", "date_of_birth": dob.isoformat()}
    return client.post(LOOKUP, data, **extra)


def test_it_stops_an_officer_walking_the_calendar_for_a_date_of_birth(world, login, settings):
    client = login(world.users[Role.OFFICER])
    start, real = dt.date(1980, 1, 1), world.own_case.person.date_of_birth
    codes, found_on = [], None
    for day in range(300):  # the probe that found a date of birth in under five seconds
        response = _look(client, start + dt.timedelta(days=day))
        codes.append(response.status_code)
        if "Active participant." in response.content.decode():
            found_on = start + dt.timedelta(days=day)
    assert codes.count(200) == settings.LOOKUP_LIMIT and codes.count(429) == 300 - settings.LOOKUP_LIMIT
    assert (real - start).days >= settings.LOOKUP_LIMIT and found_on is None
    refused = _look(client, real)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert escape(too_many_message()) in body and "Active participant." not in body
    denied = AuditEntry.objects.filter(action="search", outcome="denied", actor=world.users[Role.OFFICER])
    assert denied.count() == 300 - settings.LOOKUP_LIMIT + 1


def test_it_counts_only_the_window(world, login, settings):
    settings.LOOKUP_LIMIT = 2
    client = login(world.users[Role.OFFICER])
    assert [_look(client, dt.date(1980, 1, d)).status_code for d in (1, 2, 3)] == [200, 200, 429]
    settings.LOOKUP_WINDOW_MINUTES = (
        0  # the earlier lookups now lie outside the window (the log is append-only)
    )
    assert _look(client, dt.date(1980, 1, 4)).status_code == 200


def test_it_throttles_an_address_across_users(world, login, client, settings):
    settings.LOOKUP_LIMIT, settings.LOOKUP_ADDRESS_LIMIT = 100, 3
    codes = []
    for role in (Role.OFFICER, Role.CASE_MANAGER):
        login(world.users[role])
        codes += [_look(client, dt.date(1981, 1, d), REMOTE_ADDR="10.0.0.7").status_code for d in (1, 2)]
        client.logout()
    assert codes == [200, 200, 200, 429]
    login(world.users[Role.CASE_MANAGER])
    assert _look(client, dt.date(1981, 1, 9), REMOTE_ADDR="10.0.0.8").status_code == 200


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CASE_MANAGER])
def test_it_lists_a_lookup_that_matched_among_who_looked_at_the_participant(world, login, client, role):
    login(world.users[role])
    assert _look(client, world.own_case.person.date_of_birth).status_code == 200
    _look(client, world.other_case.person.date_of_birth, last="Okoro")
    client.logout()
    login(world.users[Role.CASE_SUPERVISOR])
    response = client.get(reverse("access:audit"), {"person": world.own_case.person_id})
    rows = [(e.actor_label, e.action) for e in response.context["page"].object_list]
    assert (world.users[role].username, "search") in rows
    assert rows.count((world.users[role].username, "search")) == 1  # not the lookup of Okoro
