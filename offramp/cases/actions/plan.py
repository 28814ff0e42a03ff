"""The Individual Intervention Plan: goals in the participant's words, steps, agreement."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, action
from offramp.cases.actions.common import StaleVersion, acting_user, case_for_update
from offramp.cases.models import Case, Goal, Plan, Step

ERR_WORDS_NEEDED = "Write the goal as the participant says it."
ERR_GOAL_AREA = "Choose the area of life this goal is about."
ERR_GOAL_STATUS = "Choose where the goal stands."
ERR_STEP_NEEDED = "Say what the step is and who does it."
ERR_NO_GOALS = "Add the participant's goals before recording their agreement."
ERR_AGREEMENT_HOW = "Say how the participant agreed: signature or verbal agreement."
ERR_AGREEMENT_IN_FUTURE = "Agreement cannot be recorded in the future."
ERR_PLAN_CHANGED = (
    "The plan changed since you opened it (you saw version {seen}, it is now version {now}). "
    "Read it again with the participant before recording their agreement."
)
ERR_STALE_GOAL = "Someone else saved this goal while you were editing it: nothing of yours was saved yet."


def goal_values(goal: Goal, steps: Iterable[Step]) -> dict[str, Any]:
    """What a goal edit changes, as plain values: compared and shown when two edits collide."""
    return {
        "area": goal.area,
        "in_own_words": goal.in_own_words,
        "status": goal.status,
        "target_date": goal.target_date,
        "steps": {step.pk: step.status for step in steps},
    }


def _plan_for_update(actor: Actor, case_id: int, *, create: bool = False) -> tuple[Case, Plan | None]:
    case = case_for_update(actor, case_id)
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None and create:
        plan = Plan.objects.create(program_id=case.program_id, case=case, updated_at=timezone.now())
    return case, plan


def _goal_for_update(actor: Actor, goal_id: int) -> Goal:
    """The goal, locked, if its case is one the actor may change; substance-use goals need Part 2."""
    case_id = Goal.objects.filter(pk=goal_id, program_id=actor.program_id).values_list(
        "plan__case_id", flat=True
    )
    case_id = case_id.first()
    if case_id is None:
        raise Http404("Not found")
    case_for_update(actor, case_id)
    goal = Goal.objects.select_for_update().select_related("plan").get(pk=goal_id)
    if goal.area == Goal.Area.SUBSTANCE_USE and not actor.has(Category.PART2, Scope.OWN):
        raise Http404("Not found")
    return goal


def _touch(plan: Plan, now: dt.datetime) -> None:
    plan.version += 1
    plan.updated_at = now
    plan.save(update_fields=["version", "updated_at"])


def _check_goal(area: str, in_own_words: str, status: str) -> str:
    words = in_own_words.strip()
    if not words:
        raise ValidationError(ERR_WORDS_NEEDED)
    if area not in Goal.Area.values:
        raise ValidationError(ERR_GOAL_AREA)
    if status not in Goal.Progress.values:
        raise ValidationError(ERR_GOAL_STATUS)
    return words


@action("cases.goal_add")
def goal_add(
    *,
    actor: Actor,
    case_id: int,
    area: str,
    in_own_words: str,
    target_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Goal:
    """A new goal in the participant's words (the plan is created with its first goal)."""
    now = now or timezone.now()
    words = _check_goal(area, in_own_words, Goal.Progress.NOT_STARTED)
    case, plan = _plan_for_update(actor, case_id, create=True)
    if area == Goal.Area.SUBSTANCE_USE and not actor.has(Category.PART2, Scope.OWN):
        raise Http404("Not found")
    goal = Goal.objects.create(
        program_id=case.program_id,
        plan=plan,
        area=area,
        in_own_words=words,
        target_date=target_date,
        created_at=now,
        updated_at=now,
    )
    _touch(plan, now)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Goal",
        object_id=goal.pk,
        detail={"case": case.pk, "area": area, "plan_version": plan.version},
    )
    return goal


@action("cases.goal_update")
def goal_update(
    *,
    actor: Actor,
    goal_id: int,
    version: int,
    area: str,
    in_own_words: str,
    status: str,
    target_date: dt.date | None = None,
    steps: dict | None = None,
    now: dt.datetime | None = None,
) -> Goal:
    """Change a goal and its steps' statuses, if nobody saved it since `version` was read.

    A stale save raises StaleVersion with the saved values, so the page can show both and
    offer to re-apply the user's change on the fresh version.
    """
    now = now or timezone.now()
    words = _check_goal(area, in_own_words, status)
    steps = steps or {}
    if any(value not in Goal.Progress.values for value in steps.values()):
        raise ValidationError(ERR_GOAL_STATUS)
    goal = _goal_for_update(actor, goal_id)
    current_steps = list(goal.steps.all())
    if goal.version != version:
        raise StaleVersion(ERR_STALE_GOAL, current=goal_values(goal, current_steps), version=goal.version)
    if area == Goal.Area.SUBSTANCE_USE and not actor.has(Category.PART2, Scope.OWN):
        raise Http404("Not found")
    before = goal_values(goal, current_steps)
    goal.area, goal.in_own_words, goal.status, goal.target_date = area, words, status, target_date
    goal.version += 1
    goal.updated_at = now
    goal.save(update_fields=["area", "in_own_words", "status", "target_date", "version", "updated_at"])
    changed_steps = [s for s in current_steps if s.pk in steps and steps[s.pk] != s.status]
    for step in changed_steps:
        step.status = steps[step.pk]
    Step.objects.bulk_update(changed_steps, ["status"])
    _touch(goal.plan, now)
    after = goal_values(goal, current_steps)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Goal",
        object_id=goal.pk,
        detail={"changed": sorted(k for k in after if after[k] != before[k]), "version": goal.version},
    )
    return goal


@action("cases.step_add")
def step_add(
    *,
    actor: Actor,
    goal_id: int,
    what: str,
    who: str,
    target_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Step:
    """A step toward a goal: who does what, by when. Adding never conflicts, so it needs no version."""
    now = now or timezone.now()
    what, who = what.strip()[:300], who.strip()[:100]
    if not what or not who:
        raise ValidationError(ERR_STEP_NEEDED)
    goal = _goal_for_update(actor, goal_id)
    step = Step.objects.create(
        program_id=goal.program_id, goal=goal, what=what, who=who, target_date=target_date
    )
    goal.version += 1
    goal.updated_at = now
    goal.save(update_fields=["version", "updated_at"])
    _touch(goal.plan, now)
    audit_record(
        actor=actor, action=Action.CREATE, object_type="Step", object_id=step.pk, detail={"goal": goal.pk}
    )
    return step


@action("cases.plan_agree")
def plan_agree(*, actor: Actor, case_id: int, version: int, how: str, at: dt.datetime | None = None) -> Plan:
    """The participant agreed to the plan as it stands at `version`: by signature or verbally."""
    now = timezone.now()
    at = at or now
    if how not in Plan.Agreement.values:
        raise ValidationError(ERR_AGREEMENT_HOW)
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError(ERR_AGREEMENT_IN_FUTURE)
    case, plan = _plan_for_update(actor, case_id)
    if plan is None or not plan.goals.exists():
        raise ValidationError(ERR_NO_GOALS)
    if plan.version != version:
        raise ValidationError(ERR_PLAN_CHANGED.format(seen=version, now=plan.version))
    plan.agreed_how, plan.agreed_at, plan.agreed_version = how, at, plan.version
    plan.agreement_recorded_by = acting_user(actor)
    plan.save(update_fields=["agreed_how", "agreed_at", "agreed_version", "agreement_recorded_by"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Plan",
        object_id=plan.pk,
        detail={"case": case.pk, "agreed": how, "version": plan.version},
    )
    return plan
