"""The Individual Intervention Plan: goals in the participant's words, steps, statuses and agreement."""

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.cases.actions import ERR_NO_GOALS
from offramp.cases.models import Goal, Plan
from offramp.programs.roles import Role
from tests.cases.plans import plan_url

WORDS = "I want my own place, somewhere quiet near my sister."
PART2_WORDS = "I want to start on methadone again."


def plan_of(case):
    with trusted("tests"):
        return Plan.objects.filter(case=case).first()


def goals_of(case):
    with trusted("tests"):
        return list(Goal.objects.filter(plan__case=case).prefetch_related("steps"))


def post(client, case, change, **data):
    return client.post(plan_url(case, change), data)


def test_it_builds_a_plan_from_the_participants_goals_and_records_their_agreement(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    page = client.get(reverse("cases:plan", args=[world.own_case.pk]))
    assert "The goal, in the participant&#x27;s own words" in page.content.decode()
    assert (
        post(client, world.own_case, "agree", version=0, how="verbal", at="2026-01-05T10:00").status_code
        == 400
    )
    assert post(client, world.own_case, "goal_add", area="housing", in_own_words=WORDS).status_code == 302
    assert (
        post(client, world.own_case, "goal_add", area="id", in_own_words="Get my ID back").status_code == 302
    )
    housing = goals_of(world.own_case)[0]
    response = post(
        client,
        world.own_case,
        "step_add",
        goal=housing.pk,
        what="Apply to the housing list",
        who="Participant, with the case manager",
        target_date="2026-12-15",
    )
    assert response.status_code == 302
    plan = plan_of(world.own_case)
    assert plan.version == 4  # created at 1, two goals and a step
    response = post(
        client, world.own_case, "agree", version=plan.version, how="signed", at="2026-01-05T10:00"
    )
    assert response.status_code == 302
    plan = plan_of(world.own_case)
    assert (plan.agreed_how, plan.agreed_version, plan.agreement_recorded_by) == (
        "signed",
        4,
        world.users[Role.CASE_MANAGER],
    )
    body = client.get(reverse("cases:plan", args=[world.own_case.pk])).content.decode()
    assert WORDS in body and "Apply to the housing list" in body
    assert "Signed by the participant" in body
    assert AuditEntry.objects.filter(object_type="Goal", action="create").count() == 2


def test_it_refuses_agreement_before_any_goal(world):
    from django.core.exceptions import ValidationError

    from offramp.access.scope import Actor
    from offramp.cases.actions import plan_agree

    actor = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    with pytest.raises(ValidationError) as refused:
        plan_agree(actor=actor, case_id=world.own_case.pk, version=1, how="verbal")
    assert refused.value.messages == [ERR_NO_GOALS]


def test_it_refuses_agreement_to_a_plan_that_changed_since_it_was_read(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    post(client, world.own_case, "goal_add", area="housing", in_own_words=WORDS)
    seen = plan_of(world.own_case).version
    post(client, world.own_case, "goal_add", area="employment", in_own_words="Work with my hands")
    response = post(client, world.own_case, "agree", version=seen, how="verbal", at="2026-01-05T10:00")
    assert response.status_code == 400
    assert f"you saw version {seen}, it is now version {seen + 1}" in response.content.decode()
    assert plan_of(world.own_case).agreed_at is None


def test_it_offers_no_failed_status_and_keeps_goals_in_the_participants_words(world, login):
    assert set(Goal.Progress.values) == {"not_started", "in_progress", "done", "set_aside"}
    assert "abstinen" not in " ".join(Goal.Area.values) and "complian" not in " ".join(Goal.Area.values)
    assert Goal._meta.get_field("in_own_words").verbose_name == "In the participant's own words"
    response = post(
        login(world.users[Role.CASE_MANAGER]), world.own_case, "goal_add", area="housing", in_own_words=" "
    )
    assert response.status_code == 400
    assert goals_of(world.own_case) == []


def test_it_hides_substance_use_goals_from_roles_without_part2(world, login):
    manager = login(world.users[Role.CASE_MANAGER])
    post(manager, world.own_case, "goal_add", area="housing", in_own_words=WORDS)
    post(manager, world.own_case, "goal_add", area="substance_use", in_own_words=PART2_WORDS)
    url = reverse("cases:plan", args=[world.own_case.pk])
    assert PART2_WORDS in manager.get(url).content.decode()
    body = login(world.users[Role.PROJECT_MANAGER]).get(url).content.decode()
    assert WORDS in body and PART2_WORDS not in body
    assert "1 substance-use goal not shown" in body


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        (Role.CASE_MANAGER, "own", True),
        (Role.CASE_MANAGER, "other", False),
        (Role.CASE_SUPERVISOR, "other", True),
        (Role.CASE_SUPERVISOR, "foreign", False),
        (Role.PROJECT_MANAGER, "own", False),
        (Role.OFFICER, "own", False),
        (Role.EVALUATOR, "own", False),
    ],
)
def test_it_lets_only_the_case_team_change_a_plan_in_their_scope(world, login, role, target, allowed):
    case = {"own": world.own_case, "other": world.other_case, "foreign": world.foreign_case}[target]
    response = post(login(world.users[role]), case, "goal_add", area="housing", in_own_words=WORDS)
    assert response.status_code == (302 if allowed else 404)
    assert len(goals_of(case)) == (1 if allowed else 0)


def test_it_hides_a_goal_of_another_case_behind_a_case_the_user_may_change(world, login):
    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    post(supervisor, world.other_case, "goal_add", area="housing", in_own_words=WORDS)
    goal = goals_of(world.other_case)[0]
    manager = login(world.users[Role.CASE_MANAGER])
    # posting the other case's goal through the manager's own case finds nothing
    response = post(manager, world.own_case, "step_add", goal=goal.pk, what="x", who="y")
    assert response.status_code == 404
    assert goals_of(world.other_case)[0].steps.count() == 0
