"""Project managers run the meeting; owners mark their action items done; open items carry over."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.workgroup import actions
from offramp.workgroup.models import ActionItem, AgendaItem, Decision, Flag, Meeting
from tests.workgroup.conftest import actor


def _pm(world):
    return actor(world.users[Role.PROJECT_MANAGER], world.program)


def _item(meeting, case, flag):
    with trusted("tests"):
        return AgendaItem.objects.get(meeting=meeting, case=case, flag=flag)


def _count(model):
    with trusted("tests"):
        return model.objects.count()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROJECT_MANAGER])
def test_it_lets_only_the_project_manager_run_the_meeting(flagged, meeting, role):
    world = flagged.world
    someone = actor(world.users[role], world.program)
    item = _item(meeting, flagged.overdue, Flag.INTAKE_OVERDUE)
    with pytest.raises(Http404):
        actions.meeting_create(actor=someone, held_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(Http404):
        actions.decision_add(actor=someone, item_id=item.pk, text="Anything")
    with pytest.raises(Http404):
        actions.action_item_add(
            actor=someone,
            meeting_id=meeting.pk,
            owner_id=someone.user_id,
            what="x",
            due_on=timezone.localdate(),
        )
    assert _count(Decision) == 0 and _count(ActionItem) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": "today"}, actions.ERR_MEETING_EXISTS),
        ({"held_on": "far"}, actions.ERR_MEETING_DATE),
    ],
)
def test_it_refuses_a_second_meeting_on_a_day_and_one_far_off(flagged, meeting, change, message):
    day = (
        timezone.localdate()
        if change["held_on"] == "today"
        else timezone.localdate() + dt.timedelta(days=400)
    )
    before = _count(Meeting)
    with pytest.raises(ValidationError) as refused:
        actions.meeting_create(actor=_pm(flagged.world), held_on=day)
    assert refused.value.messages == [message]
    assert _count(Meeting) == before


def test_it_refuses_an_action_item_for_someone_who_may_not_see_the_participant(flagged, meeting):
    world = flagged.world
    quiet = _item(meeting, flagged.quiet, Flag.IN_THE_WIND)  # no consent to the prosecutor
    arrest = _item(meeting, flagged.arrested, Flag.NEW_ARREST)  # legal: officers see none
    prosecutor, officer = world.users[Role.PROSECUTOR], world.users[Role.OFFICER]
    cases = [
        (quiet, prosecutor, actions.ERR_OWNER_CANNOT_SEE.format(owner=prosecutor)),
        (arrest, officer, actions.ERR_OWNER_CANNOT_SEE.format(owner=officer)),
        (quiet, world.users[Role.EVALUATOR], actions.ERR_OWNER),
        (None, world.outsider, actions.ERR_OWNER),
    ]
    for item, owner, message in cases:
        with pytest.raises(ValidationError) as refused:
            actions.action_item_add(
                actor=_pm(world),
                meeting_id=meeting.pk,
                item_id=item.pk if item else None,
                owner_id=owner.pk,
                what="Find them",
                due_on=timezone.localdate(),
            )
        assert refused.value.messages == [message]
    with pytest.raises(ValidationError) as refused:
        actions.action_item_add(
            actor=_pm(world),
            meeting_id=meeting.pk,
            owner_id=officer.pk,
            what="Find them",
            due_on=meeting.held_on - dt.timedelta(days=1),
        )
    assert refused.value.messages == [actions.ERR_DUE_BEFORE_MEETING]
    with pytest.raises(ValidationError) as refused:
        actions.decision_add(actor=_pm(world), item_id=quiet.pk, text="  ")
    assert refused.value.messages == [actions.ERR_DECISION_NEEDED]
    assert _count(ActionItem) == 0 and _count(Decision) == 0


def test_it_carries_open_action_items_to_the_next_meeting_until_done(flagged, meeting, login):
    world = flagged.world
    pm, officer = _pm(world), world.users[Role.OFFICER]
    wind = _item(meeting, flagged.wind, Flag.IN_THE_WIND)
    kept = actions.action_item_add(
        actor=pm,
        meeting_id=meeting.pk,
        item_id=wind.pk,
        owner_id=officer.pk,
        what="Look for Wyn on patrol",
        due_on=meeting.held_on,
    )
    finished = actions.action_item_add(
        actor=pm,
        meeting_id=meeting.pk,
        owner_id=officer.pk,
        what="Bring the precinct roster",
        due_on=meeting.held_on,
    )
    client = login(officer)
    response = client.post(reverse("workgroup:action_done", args=[finished.pk]), {"back": "mine"})
    assert response.status_code == 302
    next_week = actions.meeting_create(actor=pm, held_on=meeting.held_on + dt.timedelta(days=7))
    view = client.get(reverse("workgroup:agenda", args=[next_week.pk])).context["view"]
    assert [a.what for a in view.carried] == ["Look for Wyn on patrol"]
    assert view.carried[0].participant.name == "Wyn Wind"
    first = client.get(reverse("workgroup:agenda", args=[meeting.pk])).context["view"]
    assert [a.what for a in first.general] == ["Bring the precinct roster"]  # the record of the first meeting
    assert first.general[0].done_at is not None
    assert kept.pk  # still open


def test_it_lets_only_the_owner_or_the_project_manager_mark_an_item_done(flagged, meeting, login):
    world = flagged.world
    officer = world.users[Role.OFFICER]
    action = actions.action_item_add(
        actor=_pm(world),
        meeting_id=meeting.pk,
        owner_id=officer.pk,
        what="Bring the roster",
        due_on=meeting.held_on,
    )
    url = reverse("workgroup:action_done", args=[action.pk])
    assert login(world.users[Role.PROSECUTOR]).post(url).status_code == 404
    assert login(world.outsider).post(url).status_code == 404
    assert login(world.users[Role.PROJECT_MANAGER]).post(url).status_code == 302
    with trusted("tests"):
        assert ActionItem.objects.get(pk=action.pk).done_by == world.users[Role.PROJECT_MANAGER]
    with pytest.raises(ValidationError) as refused:
        actions.action_item_done(actor=_pm(world), action_id=action.pk)
    assert refused.value.messages == [actions.ERR_ALREADY_DONE]


def test_it_runs_a_meeting_through_its_pages(flagged, login):
    world = flagged.world
    client = login(world.users[Role.PROJECT_MANAGER])
    day = timezone.localdate()
    response = client.post(reverse("workgroup:meeting_new"), {"held_on": day.isoformat()})
    assert response.status_code == 302
    with trusted("tests"):
        meeting = Meeting.objects.get(held_on=day)
    item = _item(meeting, flagged.overdue, Flag.INTAKE_OVERDUE)
    discuss = reverse("workgroup:item_discussion", args=[meeting.pk, item.pk])
    decide = reverse("workgroup:item_decision", args=[meeting.pk, item.pk])
    act = reverse("workgroup:action_item_new", args=[meeting.pk])
    assert client.post(discuss, {f"d{item.pk}-discussion": "Seen at the clinic"}).status_code == 302
    assert client.post(decide, {f"c{item.pk}-text": "Book intake"}).status_code == 302
    form = {
        "action-item": item.pk,
        "action-owner": world.users[Role.CASE_MANAGER].pk,
        "action-due_on": day.isoformat(),
    }
    bad = client.post(act, {**form, "action-what": ""})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    assert client.post(act, {**form, "action-what": "Do the intake"}).status_code == 302
    again = client.post(reverse("workgroup:meeting_new"), {"held_on": day.isoformat()})
    assert again.status_code == 400 and actions.ERR_MEETING_EXISTS in again.content.decode()
    mine = login(world.users[Role.CASE_MANAGER]).get(reverse("workgroup:mine")).content.decode()
    assert "Do the intake" in mine and "Otto Overdue" in mine
    changes = AuditEntry.objects.filter(
        object_type__in=["AgendaItem", "Decision", "ActionItem"], action__in=["create", "update"]
    )
    kinds = set(changes.values_list("object_type", "action"))
    assert kinds == {("AgendaItem", "update"), ("Decision", "create"), ("ActionItem", "create")}
    for role in (Role.CASE_SUPERVISOR, Role.OFFICER):
        for url in (discuss, decide, act):
            assert login(world.users[role]).post(url, {}).status_code == 404


def test_the_agenda_opens_one_items_record_forms_at_a_time(flagged, meeting, login):
    client = login(flagged.world.users[Role.PROJECT_MANAGER])
    agenda = reverse("workgroup:agenda", args=[meeting.pk])
    with trusted("tests"):
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("pk"))
    assert len(items) > 1
    first, other = items[0], items[1]

    def forms_on(response):
        page = response.content.decode()
        return {i.pk for i in items if f'name="d{i.pk}-discussion"' in page or f'name="c{i.pk}-text"' in page}

    plain = client.get(agenda)
    assert forms_on(plain) == set()
    assert f'href="{agenda}?record={first.pk}#item-{first.pk}"' in plain.content.decode()
    assert forms_on(client.get(agenda, {"record": first.pk})) == {first.pk}
    assert forms_on(client.get(agenda, {"record": "not-a-number"})) == set()
    # A refused decision comes back with that item's forms open and its error, whatever was open before.
    decide = reverse("workgroup:item_decision", args=[meeting.pk, other.pk])
    refused = client.post(decide, {f"c{other.pk}-text": ""})
    assert refused.status_code == 400 and forms_on(refused) == {other.pk}
    assert f'id="id_c{other.pk}-text_error"' in refused.content.decode()
