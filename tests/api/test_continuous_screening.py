"""Arrests posted through the API are screened as they arrive; the eligible ones left without a diversion
show on the eligible-but-booked list and as a flag on the workgroup agenda; the equity audit reads any
period of them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from offramp.access.scope import trusted
from offramp.api import scopes
from offramp.programs.roles import Role
from offramp.referrals.models import ScreenedArrest, ScreeningRun
from offramp.workgroup.actions import meeting_create
from offramp.workgroup.queries import actor_for

POSSESSION = "RCW 69.50.4013"
ASSAULT = "RCW 9A.36.011"


def _arrests(day: dt.date, *rows):
    return {
        "arrests": [
            {
                "incident_number": n,
                "statute": s,
                "incident_date": day.isoformat(),
                "officer": "Ofc. Reyes",
                "race": r,
            }
            for n, s, r in rows
        ]
    }


def test_it_screens_a_batch_and_skips_a_resend(world, protocol, issue, call):
    token = issue(scopes.ARRESTS_WRITE)
    day = timezone.localdate() - dt.timedelta(days=3)
    batch = _arrests(
        day, ("a-1", POSSESSION, "White"), ("A-2", ASSAULT, "Black"), ("A-3", POSSESSION, "Black")
    )
    first = call("post", "arrests", token, json=batch)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["received"], body["stored"], body["eligible"], body["missed"]) == (3, 3, 2, 2)
    again = call("post", "arrests", token, json=batch).json()
    assert (again["run_id"], again["stored"], again["already_received"]) == (None, 0, 3)
    with trusted("test"):
        stored = dict(ScreenedArrest.objects.values_list("incident_number", "eligible"))
        assert stored == {"A-1": True, "A-2": False, "A-3": True}
        assert ScreeningRun.objects.get(pk=body["run_id"]).continuous
        arrest = ScreenedArrest.objects.get(incident_number="A-1")
    assert arrest.incident_date == day and arrest.arrested_at is not None


def test_a_bad_row_loads_nothing_and_is_named(world, protocol, issue, call):
    token = issue(scopes.ARRESTS_WRITE)
    day = timezone.localdate()
    batch = _arrests(day, ("B-1", POSSESSION, ""), ("B-1", POSSESSION, ""))
    response = call("post", "arrests", token, json=batch)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["arrests.1.incident_number"]
    bad_type = _arrests(day, ("B-2", POSSESSION, ""))
    bad_type["arrests"][0]["quantity_grams"] = "lots"
    response = call("post", "arrests", token, json=bad_type)
    assert [e["field"] for e in response.json()["errors"]] == ["arrests.0.quantity_grams"]
    with trusted("test"):
        assert not ScreenedArrest.objects.exists()


def test_the_booked_list_and_the_agenda_flag_show_eligible_arrests_without_a_referral(
    world, protocol, issue, call, login
):
    token = issue(scopes.ARRESTS_WRITE)
    old = timezone.localdate() - dt.timedelta(days=2)
    # 26-000001 is the incident number of the world's own referral: diverted, so never "booked".
    call(
        "post",
        "arrests",
        token,
        json=_arrests(old, ("C-1", POSSESSION, "White"), ("26-000001", POSSESSION, "")),
    )
    call("post", "arrests", token, json=_arrests(old, ("C-2", ASSAULT, "White")))  # ruled out
    call(
        "post", "arrests", token, json=_arrests(timezone.localdate(), ("C-3", POSSESSION, ""))
    )  # clock running
    manager = world.users[Role.PROJECT_MANAGER]
    page = login(manager).get(reverse("referrals:continuous"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "C-1" in text and "26-000001" not in text and "C-2" not in text and "C-3" not in text
    assert page.context["booked"]["total"] == 1
    now = timezone.now()
    meeting = meeting_create(
        actor=actor_for(manager, world.program), held_on=timezone.localdate(now), now=now
    )
    assert meeting.eligible_booked == 1
    agenda = login(world.users[Role.PROSECUTOR]).get(reverse("workgroup:agenda", args=[meeting.pk]))
    assert "Eligible but booked (1)" in agenda.content.decode()
    assert reverse("referrals:continuous") not in agenda.content.decode()  # the list is not the prosecutor's


def test_the_equity_audit_reads_a_period(world, protocol, issue, call, login):
    token = issue(scopes.ARRESTS_WRITE)
    inside = timezone.localdate() - dt.timedelta(days=10)
    outside = timezone.localdate() - dt.timedelta(days=200)
    call(
        "post",
        "arrests",
        token,
        json=_arrests(inside, ("D-1", POSSESSION, "White"), ("26-000001", POSSESSION, "White")),
    )
    call("post", "arrests", token, json=_arrests(outside, ("D-2", POSSESSION, "Black")))
    client = login(world.users[Role.PROJECT_MANAGER])
    start = (inside - dt.timedelta(days=1)).isoformat()
    page = client.get(
        reverse("referrals:continuous"), {"start": start, "end": timezone.localdate().isoformat()}
    )
    overall = page.context["breakdowns"][0][2][0]
    assert (overall.eligible, overall.offered) == ("<11", "<11")  # suppressed below the threshold
    from offramp.referrals.continuous_queries import continuous_equity

    found = continuous_equity(
        actor_for(world.users[Role.PROJECT_MANAGER], world.program), start=inside, end=timezone.localdate()
    )
    assert found["overall"] == "50.0%"  # D-1 missed, 26-000001 diverted; D-2 is outside the period
    wrong = client.get(reverse("referrals:continuous"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert wrong.context["period_error"]
