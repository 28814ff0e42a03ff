"""Statuses and exits: inactive with a reason, re-engagement keeping history, only the listed exit reasons."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.scope import trusted
from offramp.cases.actions import ERR_EXIT_REASON, ERR_REASON_NEEDED, STAFF_EXIT_REASONS
from offramp.cases.forms import ExitForm
from offramp.cases.models import OPEN_STATUSES, Case, ExitReason, Status, StatusChange
from offramp.notifications.models import Notification
from offramp.programs.roles import Role
from tests.conftest import make_case

ALLOWED_EXITS = {"goals_met", "moved", "chose_to_leave", "long_term_incarceration", "deceased", "no_contact"}


def fresh(case) -> Case:
    with trusted("tests"):
        return Case.objects.get(pk=case.pk)


def history(case) -> list[str]:
    with trusted("tests"):
        return list(StatusChange.objects.filter(case=case).values_list("to_status", flat=True))


# Each change of status has its own URL; a change the page does not offer is answered 400.
CHANGE_URLS = {
    "intake": "cases:intake_complete",
    "inactive": "cases:inactivate",
    "reengage": "cases:reengage",
    "exit": "cases:exit",
}


def change(client, case, kind, **data):
    if kind == "exit":
        data.setdefault("confirmed", "yes")  # the exit's confirm step (tests/cases/test_exit_confirmation.py)
    if kind in CHANGE_URLS:
        return client.post(reverse(CHANGE_URLS[kind], args=[case.pk]), data)
    return client.post(reverse("cases:status_unknown", args=[case.pk, kind]), data)


def test_it_allows_exactly_the_listed_exit_reasons_and_none_for_drug_use_or_a_missed_goal():
    # the intake clock alone records a lapsed intake window; staff choose among the rest
    assert set(ExitReason.values) == ALLOWED_EXITS | {"intake_not_completed"}
    assert set(STAFF_EXIT_REASONS) == ALLOWED_EXITS
    assert {value for value, _ in ExitForm().fields["exit_reason"].choices if value} == ALLOWED_EXITS
    words = " ".join(f"{v} {label}" for v, label in ExitReason.choices).lower()
    for forbidden in (
        "drug",
        "substance",
        "relapse",
        "use",
        "goal missed",
        "missed",
        "fail",
        "complian",
        "sanction",
    ):
        assert forbidden not in words.replace("goals met", "").replace("chose to leave", ""), forbidden


def test_it_counts_re_engaged_as_open():
    assert set(OPEN_STATUSES) == {Status.REFERRED, Status.ACTIVE, Status.INACTIVE, Status.REENGAGED}


def test_it_marks_a_case_inactive_with_a_reason_and_re_engages_it(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    assert change(client, world.own_case, "inactive", reason="").status_code == 400
    assert fresh(world.own_case).status == Status.ACTIVE
    assert (
        change(client, world.own_case, "inactive", reason="Moved in with family out of town").status_code
        == 302
    )
    case = fresh(world.own_case)
    assert (case.status, case.status_reason) == (Status.INACTIVE, "Moved in with family out of town")
    assert change(client, world.own_case, "reengage", reason="Back in town").status_code == 302
    assert fresh(world.own_case).status == Status.REENGAGED
    assert history(world.own_case)[-2:] == [Status.INACTIVE, Status.REENGAGED]
    # a re-engaged case is on the caseload's default (open) view
    caseload = client.get(reverse("cases:caseload")).context["page"].object_list
    assert world.own_case.pk in [c.pk for c in caseload]


def test_it_exits_for_an_allowed_reason_and_re_engagement_reopens_with_history(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    before = history(world.own_case)
    assert (
        change(client, world.own_case, "exit", exit_reason="goals_met", note="Housed and working").status_code
        == 302
    )
    case = fresh(world.own_case)
    assert (case.status, case.exit_reason) == (Status.EXITED, ExitReason.GOALS_MET)
    assert change(client, world.own_case, "reengage").status_code == 302
    case = fresh(world.own_case)
    assert (case.status, case.exit_reason) == (Status.REENGAGED, "")
    assert history(world.own_case) == [*before, Status.EXITED, Status.REENGAGED]
    with trusted("tests"):
        assert case.contacts.count() == 1  # the contact history stays with the case


def test_it_refuses_an_exit_reason_that_is_not_on_the_list(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    for reason in ("drug_use", "missed_goal", "intake_not_completed"):
        response = change(client, world.own_case, "exit", exit_reason=reason)
        assert response.status_code == 400
    assert fresh(world.own_case).status == Status.ACTIVE


def test_the_action_refuses_any_other_reason(world):
    from django.core.exceptions import ValidationError

    from offramp.access.scope import Actor
    from offramp.cases.actions import case_exit

    actor = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    with pytest.raises(ValidationError) as refused:
        case_exit(actor=actor, case_id=world.own_case.pk, exit_reason="drug_use")
    assert refused.value.messages == [ERR_EXIT_REASON]


def test_it_exits_for_no_contact_only_after_the_programs_months_without_one(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    response = change(client, world.own_case, "exit", exit_reason="no_contact")  # contact 3 days ago
    assert response.status_code == 400
    assert "successful contact in the last 6 months" in response.content.decode()
    quiet = make_case(world.program, manager=world.users[Role.CASE_MANAGER], last="Quiet", contacts=0)
    assert change(client, quiet, "exit", exit_reason="no_contact").status_code == 302
    assert fresh(quiet).exit_reason == ExitReason.NO_CONTACT


def test_it_requires_a_reason_for_inactive(world, login):
    response = change(login(world.users[Role.CASE_MANAGER]), world.own_case, "inactive", reason="  ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()  # the form stops it before the action
    assert fresh(world.own_case).status == Status.ACTIVE


def test_the_action_also_requires_a_reason(world):
    from django.core.exceptions import ValidationError

    from offramp.access.scope import Actor
    from offramp.cases.actions import case_inactivate

    actor = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    with pytest.raises(ValidationError) as refused:
        case_inactivate(actor=actor, case_id=world.own_case.pk, reason=" ")
    assert refused.value.messages == [ERR_REASON_NEEDED]


def test_it_completes_intake_and_still_tells_the_prosecutor_not_to_file(world, login):
    referred = make_case(
        world.program, manager=world.users[Role.CASE_MANAGER], status=Status.REFERRED, last="New"
    )
    with trusted("tests"):
        Case.objects.filter(pk=referred.pk).update(intake_due=timezone.localdate() + dt.timedelta(days=20))
    assert change(login(world.users[Role.CASE_MANAGER]), referred, "intake").status_code == 302
    case = fresh(referred)
    assert case.status == Status.ACTIVE and case.intake_completed_at is not None
    with trusted("tests"):
        notice = Notification.objects.get(kind=Notification.Kind.CHARGE_NOT_TO_BE_FILED)
    assert notice.recipient == world.users[Role.PROSECUTOR]


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        (Role.CASE_MANAGER, "own", True),
        (Role.CASE_MANAGER, "other", False),
        (Role.CASE_SUPERVISOR, "other", True),
        (Role.CASE_SUPERVISOR, "foreign", False),
        (Role.PROJECT_MANAGER, "own", False),
        (Role.OFFICER, "own", False),
        (Role.PROSECUTOR, "own", False),
    ],
)
def test_it_lets_only_the_case_team_change_status_in_their_scope(world, login, role, target, allowed):
    case = {"own": world.own_case, "other": world.other_case, "foreign": world.foreign_case}[target]
    response = change(login(world.users[role]), case, "exit", exit_reason="moved")
    assert response.status_code == (302 if allowed else 404)
    assert fresh(case).status == (Status.EXITED if allowed else Status.ACTIVE)


def test_it_refuses_an_unknown_change(world, login):
    assert change(login(world.users[Role.CASE_MANAGER]), world.own_case, "vanish").status_code == 400
