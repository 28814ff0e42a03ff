"""Outcome snapshots, monthly and on change, and the participant timeline built from them and the history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.cases import actions
from offramp.cases.models import Contact, OutcomeSnapshot
from offramp.cases.outcomes import LivingSituation
from offramp.programs.roles import Role

OUTSIDE, RENTAL = LivingSituation.NOT_FOR_HABITATION, LivingSituation.RENTAL_SUBSIDY


def actor(world, role=Role.CASE_MANAGER):
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


def today(world):
    return timezone.localdate(timezone=world.program.zone)


def snapshot(
    world,
    *,
    reason="monthly",
    days_ago=0,
    living=OUTSIDE,
    employment="looking",
    income=(),
    insurance="medicaid",
    id_obtained=False,
    case=None,
):
    return actions.snapshot_record(
        actor=actor(world),
        case_id=(case or world.own_case).pk,
        as_of=today(world) - dt.timedelta(days=days_ago),
        reason=reason,
        living_situation=living,
        employment=employment,
        income_sources=income,
        health_insurance=insurance,
        id_obtained=id_obtained,
    )


def test_it_records_a_snapshot_from_the_page_prefilled_from_the_last_one(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    url = reverse("cases:timeline", args=[world.own_case.pk])
    assert client.get(url).context["view"].monthly_due
    response = client.post(
        reverse("cases:snapshot_add", args=[world.own_case.pk]),
        {
            "reason": "monthly",
            "as_of": today(world).isoformat(),
            "living_situation": str(OUTSIDE),
            "employment": "looking",
            "income_sources": ["snap", "ssi"],
            "health_insurance": "medicaid",
        },
    )
    assert response.status_code == 302
    with trusted("tests"):
        saved = OutcomeSnapshot.objects.get(case=world.own_case)
    assert (saved.living_situation, saved.income_sources, saved.id_obtained) == (116, ["ssi", "snap"], False)
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.object_id) == ("create", "OutcomeSnapshot", str(saved.pk))
    page = client.get(url)
    assert not page.context["view"].monthly_due
    form = page.context["form"]
    assert form.initial["living_situation"] == 116 and form["reason"].value() == "change"


def test_it_takes_one_monthly_snapshot_a_month_and_a_change_only_when_something_changed(world):
    snapshot(world)
    with pytest.raises(ValidationError) as refused:
        snapshot(world, living=RENTAL)
    assert refused.value.messages == [actions.ERR_MONTH_DONE]
    with pytest.raises(ValidationError) as refused:
        snapshot(world, reason="change")
    assert refused.value.messages == [actions.ERR_NOTHING_CHANGED]
    moved = snapshot(world, reason="change", living=RENTAL)
    assert moved.living_situation == RENTAL
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.detail["changed"] == ["living_situation"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"living": 3}, actions.ERR_LIVING_SITUATION),
        ({"employment": "astronaut"}, actions.ERR_EMPLOYMENT),
        ({"insurance": "maybe"}, actions.ERR_INSURANCE),
        ({"income": ["lottery"]}, actions.ERR_INCOME_SOURCE),
        ({"reason": "whim"}, actions.ERR_SNAPSHOT_REASON),
        ({"days_ago": -1}, actions.ERR_SNAPSHOT_FUTURE),
        ({"days_ago": 400}, actions.ERR_SNAPSHOT_OLD),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(world, changes, message):
    with pytest.raises(ValidationError) as refused:
        snapshot(world, **changes)
    assert refused.value.messages == [message]
    with trusted("tests"):
        assert not OutcomeSnapshot.objects.exists()


def test_it_lets_only_the_case_team_record_and_anyone_with_the_case_read(world, login):
    data = {
        "reason": "monthly",
        "as_of": today(world).isoformat(),
        "living_situation": "116",
        "employment": "looking",
        "health_insurance": "none",
    }
    url = reverse("cases:snapshot_add", args=[world.own_case.pk])
    assert login(world.users[Role.PROJECT_MANAGER]).post(url, data).status_code == 404
    assert (
        login(world.users[Role.CASE_MANAGER])
        .post(reverse("cases:snapshot_add", args=[world.other_case.pk]), data)
        .status_code
        == 404
    )
    assert login(world.outsider).post(url, data).status_code == 404
    with trusted("tests"):
        assert not OutcomeSnapshot.objects.exists()
    page = login(world.users[Role.PROJECT_MANAGER]).get(reverse("cases:timeline", args=[world.own_case.pk]))
    assert page.status_code == 200 and page.context["form"] is None


def test_it_shows_snapshots_contacts_referrals_statuses_and_goals_done_in_date_order(world, login):
    me = actor(world)
    case = world.own_case
    snapshot(world, days_ago=20)
    snapshot(world, reason="change", living=RENTAL, days_ago=2)
    goal = actions.goal_add(actor=me, case_id=case.pk, area="housing", in_own_words="A place of my own")
    actions.goal_update(
        actor=me, goal_id=goal.pk, version=1, area="housing", in_own_words="A place of my own", status="done"
    )
    secret = actions.goal_add(actor=me, case_id=case.pk, area="substance_use", in_own_words="Start methadone")
    actions.goal_update(
        actor=me,
        goal_id=secret.pk,
        version=1,
        area="substance_use",
        in_own_words="Start methadone",
        status="done",
    )
    actions.case_inactivate(actor=me, case_id=case.pk, reason="In hospital")
    events = (
        login(world.users[Role.CASE_MANAGER])
        .get(reverse("cases:timeline", args=[case.pk]))
        .context["view"]
        .events
    )
    kinds = [e.kind for e in events]
    assert kinds[:3] == ["status", "milestone", "milestone"]  # today: newest first
    assert {"snapshot", "contact", "referral"} <= set(kinds)
    assert kinds[-1] == "referral"  # the referral came first: 40 days ago, then the case opened
    assert [(e.day, e.at) for e in events] == sorted(((e.day, e.at) for e in events), reverse=True)
    assert kinds[-2:] == ["status", "referral"]  # the referral opened the case at the same moment
    snapshots = [e for e in events if e.kind == "snapshot"]
    assert snapshots[0].title == "Outcomes: something changed" and "Permanent housing" in snapshots[0].detail
    pm_events = login(world.users[Role.PROJECT_MANAGER]).get(reverse("cases:timeline", args=[case.pk]))
    milestones = [e.detail for e in pm_events.context["view"].events if e.kind == "milestone"]
    assert milestones == ["A place of my own"]  # the substance-use goal is Part 2: not for this role


def _timeline_queries(client, case):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:timeline", args=[case.pk]))
    assert response.status_code == 200
    return len(captured), len(response.context["view"].events)


def test_it_builds_the_timeline_with_the_same_queries_however_long_the_history(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    short = _timeline_queries(client, world.own_case)
    me = actor(world)
    snapshot(world, days_ago=30)
    snapshot(world, reason="change", living=RENTAL, days_ago=5)
    with trusted("tests"):
        Contact.objects.bulk_create(
            Contact(
                program=world.program,
                case=world.own_case,
                kind="phone",
                at=timezone.now() - dt.timedelta(hours=i),
            )
            for i in range(30)
        )
    for n in range(3):
        goal = actions.goal_add(actor=me, case_id=world.own_case.pk, area="housing", in_own_words=f"Goal {n}")
        actions.goal_update(
            actor=me, goal_id=goal.pk, version=1, area="housing", in_own_words=f"Goal {n}", status="done"
        )
    actions.case_inactivate(actor=me, case_id=world.own_case.pk, reason="Away")
    actions.case_reengage(actor=me, case_id=world.own_case.pk)
    long = _timeline_queries(client, world.own_case)
    assert long[1] > short[1] + 35
    assert long[0] == short[0]
