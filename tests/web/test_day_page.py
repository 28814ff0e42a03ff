"""The day page: a case manager's landing page lists today's work, each item one tap from the case;
a supervisor sees the team's; nobody sees another case manager's people."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.cases.models import Case, Contact, OutcomeSnapshot, Status
from offramp.transitions.models import ServiceReferral
from offramp.workgroup.models import ActionItem, Meeting
from tests.conftest import make_case


def day(client) -> str:
    response = client.get(reverse("web:day"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_manager_lands_on_the_day_page(world, login):
    response = login(world.users[Role.CASE_MANAGER]).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("web:day")


def test_it_shows_a_waiting_handoff_with_the_30_minute_clock(world, login):
    cm = world.users[Role.CASE_MANAGER]
    case = make_case(world.program, manager=cm, first="Rosa", last="Quill", status=Status.REFERRED)
    with trusted("tests"):
        referral = case.referral
        referral.handoff_requested_at = timezone.now() - dt.timedelta(minutes=12)
        referral.handoff_to = cm
        referral.save()
    page = day(login(cm))
    handoffs = page.split('id="handoffs-heading"')[1].split("</section>")[0]
    assert "Rosa Quill" in handoffs
    assert "18 min left" in handoffs or "17 min left" in handoffs
    assert reverse("referrals:arrival", args=[referral.pk]) in handoffs
    assert reverse("cases:detail", args=[case.pk]) in handoffs


def test_it_lists_intakes_due_with_days_left_and_the_people_in_the_wind(world, login):
    cm = world.users[Role.CASE_MANAGER]
    soon = make_case(world.program, manager=cm, first="Ida", last="Soon", status=Status.REFERRED)
    quiet = make_case(world.program, manager=cm, first="Wes", last="Quiet", contacts=0)
    today = timezone.localdate(timezone=world.program.zone)
    with trusted("tests"):
        Case.objects.filter(pk=soon.pk).update(intake_due=today + dt.timedelta(days=4))
        Case.objects.filter(pk=quiet.pk).update(opened_at=timezone.now() - dt.timedelta(days=45))
    page = day(login(cm))
    intakes = page.split('id="intakes-heading"')[1].split("</section>")[0]
    assert "Ida Soon" in intakes and "Intake 4 days left" in intakes
    wind = page.split('id="wind-heading"')[1].split("</section>")[0]
    assert "Wes Quiet" in wind and "No contact since referral" in wind
    assert reverse("cases:detail", args=[quiet.pk]) in wind
    assert "Ana Lopez" not in wind  # contacted three days ago


def test_it_lists_snapshots_due_follow_ups_and_action_items(world, login):
    cm = world.users[Role.CASE_MANAGER]
    own = world.own_case
    now = timezone.now()
    today = timezone.localdate(now, timezone=world.program.zone)
    with trusted("tests"):
        ServiceReferral.objects.create(
            program=world.program,
            case=own,
            provider_name="Harbor Housing",
            area="housing",
            status="referred",
            follow_up_on=today - dt.timedelta(days=1),
            created_at=now - dt.timedelta(days=3),
            status_changed_at=now,
        )
        meeting = Meeting.objects.create(
            program=world.program, held_on=today, created_at=now, flags_since=now
        )
        ActionItem.objects.create(
            program=world.program,
            meeting=meeting,
            owner=cm,
            what="Call the shelter",
            due_on=today,
            created_at=now,
        )
    page = day(login(cm))
    snapshots = page.split('id="snapshots-heading"')[1].split("</section>")[0]
    assert "Ana Lopez" in snapshots and f"Monthly snapshot for {today:%B} not recorded" in snapshots
    follow = page.split('id="follow_ups-heading"')[1].split("</section>")[0]
    assert "Follow up on the referral to Harbor Housing" in follow
    assert reverse("transitions:referrals", args=[own.pk]) in follow
    actions = page.split('id="actions-heading"')[1].split("</section>")[0]
    assert "Call the shelter" in actions

    with trusted("tests"):
        OutcomeSnapshot.objects.create(
            program=world.program,
            case=own,
            as_of=today,
            reason="monthly",
            living_situation=101,
            employment="none",
            health_insurance="none",
            created_at=now,
        )
    assert "Ana Lopez" not in day(login(cm)).split('id="snapshots-heading"')[1].split("</section>")[0]


def test_a_case_manager_sees_only_their_own_and_a_supervisor_sees_the_team(world, login):
    other_name = "Ben Okoro"  # world.other_case: another case manager's participant, in the wind
    with trusted("tests"):
        Contact.objects.filter(case=world.other_case).delete()
        Case.objects.filter(pk=world.other_case.pk).update(opened_at=timezone.now() - dt.timedelta(days=60))
    assert other_name not in day(login(world.users[Role.CASE_MANAGER]))
    team = day(login(world.users[Role.CASE_SUPERVISOR]))
    assert other_name in team and "secondcm" in team.lower()
    entry = AuditEntry.objects.filter(action="list", detail__view="day").latest("id")
    assert entry.detail["team"] is True and world.other_case.pk in entry.detail["ids"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.EVALUATOR, Role.SYSTEM_ADMIN])
def test_roles_without_case_records_get_404(world, login, role):
    assert login(world.users[role]).get(reverse("web:day")).status_code == 404
