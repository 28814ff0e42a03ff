"""Each discipline sees of the agenda what the permission matrix lets it see, nothing clinical outside the
case team: officers and prosecutors see status and what is asked of them, under the participant's consent."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import Disclosure
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.programs.roles import Role
from offramp.workgroup import actions
from offramp.workgroup.models import AgendaItem, Flag
from tests.markup import without_tokens
from tests.workgroup.conftest import DECISION, DISCUSSION, actor, identity_consent, police_consent


def _item(meeting, case, flag):
    with trusted("tests"):
        return AgendaItem.objects.get(meeting=meeting, case=case, flag=flag)


@pytest.fixture
def recorded(flagged, meeting):
    """The meeting as the project manager records it: discussion, decisions, an action for each discipline."""
    world = flagged.world
    pm = actor(world.users[Role.PROJECT_MANAGER], world.program)
    arrest_item = _item(meeting, flagged.arrested, Flag.NEW_ARREST)
    wind_item = _item(meeting, flagged.wind, Flag.IN_THE_WIND)
    due = timezone.localdate() + dt.timedelta(days=7)
    actions.item_discuss(actor=pm, item_id=arrest_item.pk, discussion=DISCUSSION)
    actions.item_discuss(actor=pm, item_id=wind_item.pk, discussion=DISCUSSION)
    actions.decision_add(actor=pm, item_id=arrest_item.pk, text=DECISION)
    actions.decision_add(actor=pm, item_id=wind_item.pk, text=DECISION)
    for item, role, what in (
        (arrest_item, Role.PROSECUTOR, "Hold the charging decision"),
        (wind_item, Role.OFFICER, "Tell the case manager if seen"),
    ):
        actions.action_item_add(
            actor=pm,
            meeting_id=meeting.pk,
            item_id=item.pk,
            due_on=due,
            owner_id=world.users[role].pk,
            what=what,
        )
    return meeting


def _agenda(login, world, role, meeting):
    response = login(world.users[role]).get(reverse("workgroup:agenda", args=[meeting.pk]))
    assert response.status_code == 200
    view = response.context["view"]
    shown = {(item.flag, item.participant.label): item for _f, _l, items in view.groups for item in items}
    return shown, without_tokens(response.content.decode())


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.CASE_SUPERVISOR])
def test_it_shows_program_wide_case_staff_everything(flagged, recorded, login, role):
    shown, body = _agenda(login, flagged.world, role, recorded)
    assert len(shown) == 5
    assert all(item.participant.full for item in shown.values())
    assert [i.discussion for i in shown.values()].count(DISCUSSION) == 2
    assert sum(len(i.decisions) for i in shown.values()) == 2 and body.count(DECISION) == 2
    assert "Hold the charging decision" in body and "Tell the case manager if seen" in body
    assert "Quinn Quiet" in body  # no consent to the prosecutor: the case team still discusses them


def test_it_shows_a_case_manager_their_own_in_full_and_others_by_status_only(flagged, recorded, login):
    shown, body = _agenda(login, flagged.world, Role.CASE_MANAGER, recorded)
    full = {label for (_f, label), item in shown.items() if item.participant.full}
    assert full == {"Ana Lopez", "Otto Overdue", "Quinn Quiet"}
    wind = shown[(Flag.IN_THE_WIND, "A participant")]  # the second case manager's: identity is own only
    assert wind.participant.status_label == "Active" and wind.discussion is None and wind.decisions == []
    assert "Wyn" not in body and "Nia" not in body
    assert body.count(DISCUSSION) == 1  # their own participant's, not the other case manager's
    assert "Tell the case manager if seen" not in body  # asked of the officer, about another's participant


def test_it_shows_an_officer_status_and_their_action_for_consenting_participants_only(
    flagged, recorded, login, police_consents
):
    shown, body = _agenda(login, flagged.world, Role.OFFICER, recorded)
    assert set(shown) == {
        (Flag.NEW_REFERRAL, "Nia Fresh"),
        (Flag.INTAKE_OVERDUE, "Otto Overdue"),
        (Flag.IN_THE_WIND, "Wyn Wind"),
    }  # no new arrest (legal: none), nobody without consent
    assert not any(item.participant.full or item.participant.case_id for item in shown.values())
    assert [a.what for a in shown[(Flag.IN_THE_WIND, "Wyn Wind")].actions] == [
        "Tell the case manager if seen"
    ]
    for secret in (DISCUSSION, DECISION, "Quinn", "Quiet", "Hold the charging decision", "Ana Lopez"):
        assert secret not in body
    assert "/cases/" not in body


def test_it_shows_a_prosecutor_status_under_consent_and_names_only_with_identity_consent(
    flagged, recorded, login
):
    world = flagged.world
    identity_consent(world.program, flagged.overdue)
    shown, body = _agenda(login, world, Role.PROSECUTOR, recorded)
    assert set(shown) == {
        (Flag.NEW_REFERRAL, "A participant"),
        (Flag.INTAKE_OVERDUE, "Otto Overdue"),
        (Flag.IN_THE_WIND, "A participant"),
        (Flag.NEW_ARREST, "A participant"),
    }
    arrest = shown[(Flag.NEW_ARREST, "A participant")]
    assert [a.what for a in arrest.actions] == ["Hold the charging decision"]
    for secret in (DISCUSSION, DECISION, "Quinn", "Tell the case manager if seen", "Ana", "Wyn"):
        assert secret not in body
    with trusted("tests"):
        ledger = {d.person_id: d.categories for d in Disclosure.objects.all()}
    assert ledger == {
        flagged.fresh.person_id: ["participant_status"],
        flagged.overdue.person_id: ["identity", "participant_status"],
        flagged.wind.person_id: ["participant_status"],
        flagged.arrested.person_id: ["legal", "participant_status"],
    }


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.SYSTEM_ADMIN])
def test_it_does_not_exist_for_roles_that_do_not_attend(flagged, recorded, login, role):
    client = login(flagged.world.users[role])
    for url in (
        reverse("workgroup:meetings"),
        reverse("workgroup:agenda", args=[recorded.pk]),
        reverse("workgroup:mine"),
    ):
        assert client.get(url).status_code == 404


def test_it_shows_each_owner_their_action_items_on_mine(flagged, recorded, login, police_consents):
    world = flagged.world
    body = without_tokens(login(world.users[Role.OFFICER]).get(reverse("workgroup:mine")).content.decode())
    assert "Tell the case manager if seen" in body and "Wyn Wind" in body
    assert "Hold the charging decision" not in body
    with trusted("tests"):  # the participant revokes consent: the officer keeps the task, not the name
        from offramp.access.models import Consent

        Consent.objects.filter(person=flagged.wind.person).update(revoked_at=timezone.now())
    body = without_tokens(login(world.users[Role.OFFICER]).get(reverse("workgroup:mine")).content.decode())
    assert "Tell the case manager if seen" in body and "Wyn" not in body and "participant withheld" in body


def test_it_shows_an_officer_nobody_whose_consent_went_to_the_prosecutor_only(flagged, recorded, login):
    # Nia, Otto and Ana consented to the prosecutor only; Wyn to the prosecutor and the police.
    shown, body = _agenda(login, flagged.world, Role.OFFICER, recorded)
    assert set(shown) == {(Flag.IN_THE_WIND, "Wyn Wind")}
    for name in ("Nia", "Fresh", "Otto", "Overdue", "Ana", "Quinn"):
        assert name not in body
    with trusted("tests"):
        ledger = [
            (d.person_id, d.recipient_class, d.disclosed_to_id, d.categories)
            for d in Disclosure.objects.all()
        ]
    officer = flagged.world.users[Role.OFFICER].pk
    assert ledger == [(flagged.wind.person_id, "police", officer, ["identity", "participant_status"])]


def test_it_names_a_participant_to_an_officer_only_where_the_consent_covers_identity(
    flagged, recorded, login
):
    world = flagged.world
    police_consent(world.program, flagged.fresh, categories=[Category.STATUS])
    shown, body = _agenda(login, world, Role.OFFICER, recorded)
    assert set(shown) == {(Flag.IN_THE_WIND, "Wyn Wind"), (Flag.NEW_REFERRAL, "A participant")}
    assert "Nia" not in body and "Fresh" not in body
    with trusted("tests"):
        ledger = {d.person_id: d.categories for d in Disclosure.objects.filter(recipient_class="police")}
    assert ledger == {
        flagged.wind.person_id: ["identity", "participant_status"],
        flagged.fresh.person_id: ["participant_status"],
    }
