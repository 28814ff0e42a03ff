"""Two people edit the same goal: the second save is refused, shows both versions, and can be re-applied."""

import html

from django.test import Client
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.cases.actions import ERR_STALE_GOAL
from offramp.cases.models import Goal, Plan
from offramp.programs.roles import Role
from tests.cases.plans import plan_url

WORDS = "I want my own place, somewhere quiet near my sister."


def goal_of(case) -> Goal:
    with trusted("tests"):
        return Goal.objects.prefetch_related("steps").get(plan__case=case)


def edit(client, case, goal, version, **changes):
    data = {
        "change": "goal_edit",
        "goal": goal.pk,
        "version": version,
        "area": goal.area,
        "in_own_words": goal.in_own_words,
        "status": goal.status,
        "target_date": "",
        **{f"step_{s.pk}": s.status for s in goal.steps.all()},
    }
    data.update(changes)
    return client.post(plan_url(case, data["change"]), data)


def two_clients(world):
    manager, supervisor = Client(), Client()
    manager.force_login(world.users[Role.CASE_MANAGER])
    supervisor.force_login(world.users[Role.CASE_SUPERVISOR])
    return manager, supervisor


def test_it_refuses_the_second_of_two_edits_from_the_same_version_and_shows_both(world):
    manager, supervisor = two_clients(world)
    manager.post(
        plan_url(world.own_case, "goal_add"),
        {"change": "goal_add", "area": "housing", "in_own_words": WORDS},
    )
    goal = goal_of(world.own_case)
    step = {"change": "step_add", "goal": goal.pk, "what": "Call the housing line", "who": "Participant"}
    manager.post(plan_url(world.own_case, "step_add"), step)
    goal = goal_of(world.own_case)
    seen = goal.version  # both open the plan at this version
    assert (
        manager.get(reverse("cases:plan", args=[world.own_case.pk])).context["view"].goals[0].version == seen
    )

    first = edit(manager, world.own_case, goal, seen, status="in_progress")
    assert first.status_code == 302
    second = edit(supervisor, world.own_case, goal, seen, in_own_words="A room of my own, near my sister")
    assert second.status_code == 409
    body = html.unescape(second.content.decode())
    assert "Your change was not saved: someone else changed this goal" in body
    saved = goal_of(world.own_case)
    assert (saved.status, saved.in_own_words, saved.version) == ("in_progress", WORDS, seen + 1)
    # both versions side by side: the supervisor's words and the saved ones, the saved status and theirs
    conflict = second.context["conflict"]
    rows = {label: (mine, theirs, differs) for label, mine, theirs, differs in conflict["rows"]}
    assert rows["In the participant's own words"] == ("A room of my own, near my sister", WORDS, True)
    assert rows["Where it stands"] == ("Not started", "In progress", True)
    assert conflict["version"] == seen + 1
    assert conflict["merge_form"]["version"].value() == seen + 1


def test_it_saves_the_merged_change_on_the_fresh_version(world):
    manager, supervisor = two_clients(world)
    manager.post(
        plan_url(world.own_case, "goal_add"),
        {"change": "goal_add", "area": "housing", "in_own_words": WORDS},
    )
    goal = goal_of(world.own_case)
    seen = goal.version
    edit(manager, world.own_case, goal, seen, status="in_progress")
    refused = edit(supervisor, world.own_case, goal, seen, in_own_words="A room of my own, near my sister")
    merge = refused.context["conflict"]["merge_form"]
    # the supervisor keeps their words and takes the manager's status, then saves on the fresh version
    merged = edit(
        supervisor,
        world.own_case,
        goal,
        merge["version"].value(),
        in_own_words=merge["in_own_words"].value(),
        status="in_progress",
    )
    assert merged.status_code == 302
    saved = goal_of(world.own_case)
    assert (saved.in_own_words, saved.status, saved.version) == (
        "A room of my own, near my sister",
        "in_progress",
        seen + 2,
    )
    with trusted("tests"):
        assert Plan.objects.get(case=world.own_case).version == 1 + 1 + 2  # created, goal added, two edits


def test_it_refuses_a_stale_save_in_the_action_itself(world):
    import pytest

    from offramp.access.scope import Actor
    from offramp.cases.actions import StaleVersion, goal_add, goal_update

    actor = Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )
    goal = goal_add(actor=actor, case_id=world.own_case.pk, area="housing", in_own_words=WORDS)
    goal_update(actor=actor, goal_id=goal.pk, version=1, area="housing", in_own_words=WORDS, status="done")
    with pytest.raises(StaleVersion) as refused:
        goal_update(
            actor=actor, goal_id=goal.pk, version=1, area="id", in_own_words=WORDS, status="not_started"
        )
    assert refused.value.version == 2 and refused.value.current["status"] == "done"
    assert refused.value.messages == [ERR_STALE_GOAL]
    assert goal_of(world.own_case).area == "housing"
