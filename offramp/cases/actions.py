"""Changes to cases: opening one at referral, intake, contacts, statuses and exits, assignment.

Each function is one transaction with one audit entry for the case (the status history row
is part of the same change). Callers that need more (notices to the prosecutor) do that
around these functions: see offramp/referrals/intake_clock.py.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope, scope_of
from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.cases import outcomes, questions
from offramp.cases.models import (
    OPEN_STATUSES,
    Assessment,
    Case,
    Contact,
    ExitReason,
    Goal,
    OutcomeSnapshot,
    Plan,
    Status,
    StatusChange,
    Step,
)
from offramp.programs.models import Program
from offramp.programs.queries import active_case_manager

ERR_NOT_PENDING = "This case is not waiting for intake."
ERR_INTAKE_IN_FUTURE = "Intake cannot be completed in the future."
ERR_CONTACT_KIND = "Choose how the contact happened."
ERR_CONTACT_IN_FUTURE = "A contact cannot be recorded in the future."
ERR_CONTACT_TOO_OLD = "A contact more than a year ago cannot be entered here."
ERR_DURATION = "Duration is a number of minutes between 0 and 1440."
ERR_CONTACT_EXITED = "This case has exited: re-engage it before recording contacts."
MAX_CONTACT_AGE = dt.timedelta(days=366)
ERR_REASON_NEEDED = "Say why the case is becoming inactive."
ERR_NOT_ACTIVE = "Only an active or re-engaged case can become inactive."
ERR_NOT_REENGAGEABLE = "Only an inactive or exited case can be re-engaged."
ERR_ALREADY_EXITED = "This case has already exited."
ERR_EXIT_REASON = "Choose one of the exit reasons."
ERR_RECENT_CONTACT = (
    "There was a successful contact in the last {months} months: this is not an exit for no contact."
)
DEFAULT_NO_CONTACT_EXIT_MONTHS = 6
# Reasons staff may choose. A lapsed intake window is recorded by the intake clock (case_intake_lapse).
STAFF_EXIT_REASONS = tuple(r for r in ExitReason.values if r != ExitReason.INTAKE_NOT_COMPLETED)


def case_open(*, actor: Actor, person, referral, case_manager=None, intake_due: dt.date | None = None,
              now: dt.datetime | None = None) -> Case:  # fmt: skip
    """A new case in status referred (intake pending), with its first status history entry."""
    now = now or timezone.now()
    with transaction.atomic(), trusted("cases.case_open"):
        case = Case.objects.create(
            program_id=actor.program_id, person=person, referral=referral, case_manager=case_manager,
            status=Status.REFERRED, opened_at=now, intake_due=intake_due, status_changed_at=now,
        )  # fmt: skip
        StatusChange.objects.create(
            program_id=actor.program_id, case=case, to_status=Status.REFERRED, at=now, by=_user(actor)
        )
        audit_record(
            actor=actor, action=Action.CREATE, object_type="Case", object_id=case.pk,
            detail={"status": Status.REFERRED, "intake_due": intake_due.isoformat() if intake_due else None},
        )  # fmt: skip
    return case


# Case work is changed by the case team: a case manager on their own caseload, a supervisor anywhere in
# the program. A project manager reads case records (without notes) but does not write them.
CASE_TEAM = frozenset({Role.CASE_MANAGER, Role.CASE_SUPERVISOR})


def case_team_scope(actor: Actor) -> Scope:
    """How far the actor may change case work: own caseload, the program, or none."""
    return scope_of(actor.roles & CASE_TEAM, Category.CASE_RECORD) if actor.program else Scope.NONE


def _case_for_update(actor: Actor, case_id: int) -> Case:
    """The case, locked, if the actor may change it (own caseload, or any in the program), else 404."""
    scope = case_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    cases = Case.objects.select_for_update(of=("self",)).filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    try:
        return cases.select_related("referral").get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404("Not found") from None


def case_intake_complete(*, actor: Actor, case_id: int, at: dt.datetime | None = None) -> Case:
    """Intake done: the case becomes active. Whether it was in time is for the caller to act on."""
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(ERR_INTAKE_IN_FUTURE)
    with transaction.atomic(), trusted("cases.case_intake_complete"):
        case = _case_for_update(actor, case_id)
        if case.status != Status.REFERRED:
            raise ValidationError(ERR_NOT_PENDING)
        _change(actor, case, Status.ACTIVE, "Intake completed", at)
        case.intake_completed_at = at
        case.save(update_fields=["status", "status_reason", "status_changed_at", "intake_completed_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Case", object_id=case.pk,
            detail={"status": Status.ACTIVE, "intake_completed_at": at.isoformat()},
        )  # fmt: skip
    return case


def case_intake_lapse(*, actor: Actor, case_id: int, now: dt.datetime | None = None) -> Case:
    """The intake window closed without an intake: the case exits with reason intake_not_completed."""
    now = now or timezone.now()
    with transaction.atomic(), trusted("cases.case_intake_lapse"):
        case = _case_for_update(actor, case_id)
        if case.status != Status.REFERRED:
            raise ValidationError(ERR_NOT_PENDING)
        reason = ExitReason.INTAKE_NOT_COMPLETED
        _change(actor, case, Status.EXITED, reason.label, now)
        case.exit_reason = reason
        case.save(update_fields=["status", "status_reason", "status_changed_at", "exit_reason"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Case", object_id=case.pk,
            detail={"status": Status.EXITED, "exit_reason": reason.value},
        )  # fmt: skip
    return case


def _change(actor: Actor, case: Case, to_status: str, reason: str, at: dt.datetime) -> None:
    StatusChange.objects.create(
        program_id=case.program_id, case=case, from_status=case.status, to_status=to_status, reason=reason,
        at=at, by=_user(actor),
    )  # fmt: skip
    case.status, case.status_reason, case.status_changed_at = to_status, "", at


def _user(actor: Actor):
    return actor.user if actor.user_id else None


def contact_record(
    *,
    actor: Actor,
    case_id: int,
    kind: str,
    successful: bool = True,
    at: dt.datetime | None = None,
    location: str = "",
    duration_minutes: int | None = None,
    note: str = "",
    part2: bool = False,
) -> Contact:
    """A contact or attempt with a participant. A note marked part2 is shown only to roles with Part 2."""
    now = timezone.now()
    at = at or now
    if kind not in Contact.Kind.values:
        raise ValidationError(ERR_CONTACT_KIND)
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError(ERR_CONTACT_IN_FUTURE)
    if at < now - MAX_CONTACT_AGE:
        raise ValidationError(ERR_CONTACT_TOO_OLD)
    if duration_minutes is not None and not 0 <= duration_minutes <= 24 * 60:
        raise ValidationError(ERR_DURATION)
    with transaction.atomic(), trusted("cases.contact_record"):
        case = _case_for_update(actor, case_id)
        if case.status == Status.EXITED:
            raise ValidationError(ERR_CONTACT_EXITED)
        contact = Contact.objects.create(
            program_id=case.program_id, case=case, kind=kind, successful=successful, at=at,
            location=location.strip()[:200], duration_minutes=duration_minutes, note=note.strip(),
            part2=part2 and bool(note.strip()), by=_user(actor),
        )  # fmt: skip
        audit_record(
            actor=actor, action=Action.CREATE, object_type="Contact", object_id=contact.pk,
            detail={"case": case.pk, "kind": kind, "successful": successful, "part2": contact.part2},
        )  # fmt: skip
    return contact


def case_inactivate(*, actor: Actor, case_id: int, reason: str, now: dt.datetime | None = None) -> Case:
    """An active (or re-engaged) case goes inactive, with the reason."""
    now = now or timezone.now()
    reason = reason.strip()[:200]
    if not reason:
        raise ValidationError(ERR_REASON_NEEDED)
    with transaction.atomic(), trusted("cases.case_inactivate"):
        case = _case_for_update(actor, case_id)
        if case.status not in (Status.ACTIVE, Status.REENGAGED):
            raise ValidationError(ERR_NOT_ACTIVE)
        _change(actor, case, Status.INACTIVE, reason, now)
        case.status_reason = reason
        case.save(update_fields=["status", "status_reason", "status_changed_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Case", object_id=case.pk,
            detail={"status": Status.INACTIVE},
        )  # fmt: skip
    return case


def case_reengage(*, actor: Actor, case_id: int, reason: str = "", now: dt.datetime | None = None) -> Case:
    """An inactive or exited case reopens as re-engaged; its history, contacts and plan stay with it.

    A case that exited before any intake reopens as referred (intake pending) without a new
    deadline: the charging decision its lapsed window triggered has already been made.
    """
    now = now or timezone.now()
    reason = reason.strip()[:200] or "Re-engaged"
    with transaction.atomic(), trusted("cases.case_reengage"):
        case = _case_for_update(actor, case_id)
        if case.status not in (Status.INACTIVE, Status.EXITED):
            raise ValidationError(ERR_NOT_REENGAGEABLE)
        to_status = Status.REENGAGED if case.intake_completed_at else Status.REFERRED
        _change(actor, case, to_status, reason, now)
        previous_exit, case.exit_reason = case.exit_reason, ""
        if to_status == Status.REFERRED:
            case.intake_due = None
        case.save(update_fields=["status", "status_reason", "status_changed_at", "exit_reason", "intake_due"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Case", object_id=case.pk,
            detail={"status": to_status, "reopened_from_exit": previous_exit or None},
        )  # fmt: skip
    return case


def case_exit(
    *, actor: Actor, case_id: int, exit_reason: str, note: str = "", now: dt.datetime | None = None
) -> Case:
    """The case exits for one of the allowed reasons. There is no reason for drug use or a missed goal."""
    now = now or timezone.now()
    if exit_reason not in STAFF_EXIT_REASONS:
        raise ValidationError(ERR_EXIT_REASON)
    with transaction.atomic(), trusted("cases.case_exit"):
        case = _case_for_update(actor, case_id)
        if case.status == Status.EXITED:
            raise ValidationError(ERR_ALREADY_EXITED)
        if exit_reason == ExitReason.NO_CONTACT:
            months = int(
                actor.program.configuration.get("no_contact_exit_months", DEFAULT_NO_CONTACT_EXIT_MONTHS)
            )
            since = now - dt.timedelta(days=30 * months)
            if Contact.objects.filter(case=case, successful=True, at__gte=since).exists():
                raise ValidationError(ERR_RECENT_CONTACT.format(months=months))
        label = ExitReason(exit_reason).label
        _change(actor, case, Status.EXITED, f"{label}: {note.strip()}"[:200] if note.strip() else label, now)
        case.exit_reason = exit_reason
        case.save(update_fields=["status", "status_reason", "status_changed_at", "exit_reason"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Case", object_id=case.pk,
            detail={"status": Status.EXITED, "exit_reason": exit_reason},
        )  # fmt: skip
    return case


# ---- assignment -------------------------------------------------------------------------------

ERR_OVER_HARD_LIMIT = "{name} already has {count} open cases: the program's limit is {limit}."
WARN_OVER_SOFT_LIMIT = (
    "{name} would have {count} open cases, above the program's guide of {limit}. Assign anyway to confirm."
)
ERR_SAME_MANAGER = "This case is already on that caseload."


class OverSoftLimit(ValidationError):
    """The assignment would take a caseload past the soft limit: allowed only when confirmed."""


def may_assign(actor: Actor) -> bool:
    return Role.CASE_SUPERVISOR in actor.roles and actor.has(Category.CASE_RECORD, Scope.PROGRAM)


def case_assign(*, actor: Actor, case_id: int, case_manager_id: int, confirm: bool = False) -> Case:
    """A supervisor puts a case on a case manager's caseload (or moves it to another).

    A caseload may hold up to the program's hard limit (default 25) of open cases; past the soft
    limit (default 20) the supervisor is warned and must confirm.
    """
    if not may_assign(actor):
        raise Http404("Not found")
    manager = active_case_manager(program_id=actor.program_id, user_id=case_manager_id)
    program = actor.program
    soft, hard = int(program.setting("caseload_soft_limit")), int(program.setting("caseload_hard_limit"))
    name = manager.get_full_name() or manager.get_username()
    with transaction.atomic(), trusted("cases.case_assign"):
        case = _case_for_update(actor, case_id)
        if case.case_manager_id == manager.pk:
            raise ValidationError(ERR_SAME_MANAGER)
        # Lock the receiving caseload's rows so two assignments cannot both squeeze under the limit.
        load = len(
            Case.objects.select_for_update()
            .filter(program_id=actor.program_id, case_manager_id=manager.pk, status__in=OPEN_STATUSES)
            .values_list("pk", flat=True)
        )
        after = load + (1 if case.status in OPEN_STATUSES else 0)
        if after > hard:
            raise ValidationError(ERR_OVER_HARD_LIMIT.format(name=name, count=load, limit=hard))
        if after > soft and not confirm:
            raise OverSoftLimit(WARN_OVER_SOFT_LIMIT.format(name=name, count=after, limit=soft))
        previous = case.case_manager_id
        case.case_manager_id = manager.pk
        case.save(update_fields=["case_manager"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Case", object_id=case.pk,
            detail={"case_manager": manager.pk, "previous": previous, "open_after": after,
                    "over_soft_limit": after > soft},
        )  # fmt: skip
    return case


# ---- the Individual Intervention Plan ----------------------------------------------------------

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


class StaleVersion(ValidationError):
    """A save prepared on an older version. `current` holds the saved values to show beside the user's."""

    def __init__(self, message: str, *, current: dict, version: int):
        super().__init__(message)
        self.current, self.version = current, version


def goal_values(goal: Goal, steps) -> dict:
    """What a goal edit changes, as plain values: compared and shown when two edits collide."""
    return {
        "area": goal.area, "in_own_words": goal.in_own_words, "status": goal.status,
        "target_date": goal.target_date, "steps": {step.pk: step.status for step in steps},
    }  # fmt: skip


def _plan_for_update(actor: Actor, case_id: int, *, create: bool = False) -> tuple[Case, Plan | None]:
    case = _case_for_update(actor, case_id)
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
    _case_for_update(actor, case_id)
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


def goal_add(*, actor: Actor, case_id: int, area: str, in_own_words: str, target_date: dt.date | None = None,
             now: dt.datetime | None = None) -> Goal:  # fmt: skip
    """A new goal in the participant's words (the plan is created with its first goal)."""
    now = now or timezone.now()
    words = _check_goal(area, in_own_words, Goal.Progress.NOT_STARTED)
    with transaction.atomic(), trusted("cases.goal_add"):
        case, plan = _plan_for_update(actor, case_id, create=True)
        if area == Goal.Area.SUBSTANCE_USE and not actor.has(Category.PART2, Scope.OWN):
            raise Http404("Not found")
        goal = Goal.objects.create(
            program_id=case.program_id, plan=plan, area=area, in_own_words=words, target_date=target_date,
            created_at=now, updated_at=now,
        )  # fmt: skip
        _touch(plan, now)
        audit_record(
            actor=actor, action=Action.CREATE, object_type="Goal", object_id=goal.pk,
            detail={"case": case.pk, "area": area, "plan_version": plan.version},
        )  # fmt: skip
    return goal


def goal_update(*, actor: Actor, goal_id: int, version: int, area: str, in_own_words: str, status: str,
                target_date: dt.date | None = None, steps: dict | None = None,
                now: dt.datetime | None = None) -> Goal:  # fmt: skip
    """Change a goal and its steps' statuses, if nobody saved it since `version` was read.

    A stale save raises StaleVersion with the saved values, so the page can show both and
    offer to re-apply the user's change on the fresh version.
    """
    now = now or timezone.now()
    words = _check_goal(area, in_own_words, status)
    steps = steps or {}
    if any(value not in Goal.Progress.values for value in steps.values()):
        raise ValidationError(ERR_GOAL_STATUS)
    with transaction.atomic(), trusted("cases.goal_update"):
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
            actor=actor, action=Action.UPDATE, object_type="Goal", object_id=goal.pk,
            detail={"changed": sorted(k for k in after if after[k] != before[k]), "version": goal.version},
        )  # fmt: skip
    return goal


def step_add(*, actor: Actor, goal_id: int, what: str, who: str, target_date: dt.date | None = None,
             now: dt.datetime | None = None) -> Step:  # fmt: skip
    """A step toward a goal: who does what, by when. Adding never conflicts, so it needs no version."""
    now = now or timezone.now()
    what, who = what.strip()[:300], who.strip()[:100]
    if not what or not who:
        raise ValidationError(ERR_STEP_NEEDED)
    with transaction.atomic(), trusted("cases.step_add"):
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


def plan_agree(*, actor: Actor, case_id: int, version: int, how: str, at: dt.datetime | None = None) -> Plan:
    """The participant agreed to the plan as it stands at `version`: by signature or verbally."""
    now = timezone.now()
    at = at or now
    if how not in Plan.Agreement.values:
        raise ValidationError(ERR_AGREEMENT_HOW)
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError(ERR_AGREEMENT_IN_FUTURE)
    with transaction.atomic(), trusted("cases.plan_agree"):
        case, plan = _plan_for_update(actor, case_id)
        if plan is None or not plan.goals.exists():
            raise ValidationError(ERR_NO_GOALS)
        if plan.version != version:
            raise ValidationError(ERR_PLAN_CHANGED.format(seen=version, now=plan.version))
        plan.agreed_how, plan.agreed_at, plan.agreed_version = how, at, plan.version
        plan.agreement_recorded_by = _user(actor)
        plan.save(update_fields=["agreed_how", "agreed_at", "agreed_version", "agreement_recorded_by"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Plan", object_id=plan.pk,
            detail={"case": case.pk, "agreed": how, "version": plan.version},
        )  # fmt: skip
    return plan


# ---- intake: the critical-needs check and the in-depth assessment ------------------------------

ERR_ASSESSMENT_DATE_FUTURE = "An assessment cannot be dated in the future."
ERR_ASSESSMENT_DATE_OLD = "An assessment cannot be dated before the case was opened."
ERR_ASSESSMENT_EXITED = "This case has exited: re-engage it before assessing."
ERR_STALE_ASSESSMENT = (
    "Someone else saved this assessment while you were editing it: nothing of yours was saved yet."
)


def _local_today(actor: Actor) -> dt.date:
    return timezone.localdate(timezone=actor.program.zone)


def _check_assessed_on(actor: Actor, case: Case, assessed_on: dt.date) -> None:
    if assessed_on > _local_today(actor):
        raise ValidationError(ERR_ASSESSMENT_DATE_FUTURE)
    if assessed_on < timezone.localdate(case.opened_at, timezone=actor.program.zone):
        raise ValidationError(ERR_ASSESSMENT_DATE_OLD)


def _split_answers(clean: dict) -> tuple[dict, dict]:
    """(every domain but substance use, the substance-use answers): the latter are kept apart (Part 2)."""
    rest = {domain: given for domain, given in clean.items() if domain != questions.SUBSTANCE_USE}
    return rest, clean.get(questions.SUBSTANCE_USE, {})


def assessment_values(assessment: Assessment, *, part2: bool) -> dict:
    """The answers the actor may see, as {domain: {question: answer}}: compared when two edits collide."""
    values = dict(assessment.answers)
    if part2 and assessment.substance_use:
        values[questions.SUBSTANCE_USE] = assessment.substance_use
    return values


def assessment_record(*, actor: Actor, case_id: int, kind: str, assessed_on: dt.date, answers: dict,
                      now: dt.datetime | None = None) -> Assessment:  # fmt: skip
    """A critical-needs check or an in-depth assessment, asked with the program's questions of today.

    Substance-use answers come only from a role with Part 2 (the form shows that domain to no
    one else) and are stored apart from the others.
    """
    now = now or timezone.now()
    if kind not in questions.KINDS:
        raise ValidationError(questions.ERR_KIND)
    part2 = actor.has(Category.PART2, Scope.OWN)
    asked = questions.question_set(actor.program)
    clean = questions.clean_answers(questions.domains_for(kind, asked, part2=part2), answers)
    with transaction.atomic(), trusted("cases.assessment_record"):
        case = _case_for_update(actor, case_id)
        if case.status == Status.EXITED:
            raise ValidationError(ERR_ASSESSMENT_EXITED)
        _check_assessed_on(actor, case, assessed_on)
        rest, substance_use = _split_answers(clean)
        groups = [questions.CRITICAL_GROUP] if kind == questions.CRITICAL else list(questions.DOMAIN_LABELS)
        assessment = Assessment.objects.create(
            program_id=case.program_id, case=case, kind=kind, assessed_on=assessed_on, answers=rest,
            substance_use=substance_use, questions={g: asked.get(g, []) for g in groups}, by=_user(actor),
            created_at=now, updated_at=now,
        )  # fmt: skip
        audit_record(
            actor=actor, action=Action.CREATE, object_type="Assessment", object_id=assessment.pk,
            detail={"case": case.pk, "kind": kind, "assessed_on": assessed_on.isoformat(),
                    "domains": sorted(clean)},
        )  # fmt: skip
    return assessment


def assessment_update(*, actor: Actor, case_id: int, assessment_id: int, version: int, assessed_on: dt.date,
                      answers: dict, now: dt.datetime | None = None) -> Assessment:  # fmt: skip
    """Correct an assessment, if nobody saved it since `version` was read (else StaleVersion).

    The questions are the ones it was asked with. A role without Part 2 leaves the
    substance-use answers as they are: it never saw them.
    """
    now = now or timezone.now()
    part2 = actor.has(Category.PART2, Scope.OWN)
    with transaction.atomic(), trusted("cases.assessment_update"):
        case = _case_for_update(actor, case_id)
        assessment = Assessment.objects.select_for_update().filter(case=case, pk=assessment_id).first()
        if assessment is None:
            raise Http404("Not found")
        if assessment.version != version:
            raise StaleVersion(
                ERR_STALE_ASSESSMENT, current=assessment_values(assessment, part2=part2),
                version=assessment.version,
            )  # fmt: skip
        if case.status == Status.EXITED:
            raise ValidationError(ERR_ASSESSMENT_EXITED)
        _check_assessed_on(actor, case, assessed_on)
        domains = questions.domains_for(assessment.kind, assessment.questions, part2=part2)
        clean = questions.clean_answers(domains, answers)
        before = assessment_values(assessment, part2=part2)
        assessment.answers, substance_use = _split_answers(clean)
        if part2:
            assessment.substance_use = substance_use
        assessment.assessed_on = assessed_on
        assessment.version += 1
        assessment.updated_at = now
        assessment.save(update_fields=["answers", "substance_use", "assessed_on", "version", "updated_at"])
        after = assessment_values(assessment, part2=part2)
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Assessment", object_id=assessment.pk,
            detail={"case": case.pk, "version": assessment.version,
                    "changed": sorted(d for d in set(before) | set(after) if before.get(d) != after.get(d))},
        )  # fmt: skip
    return assessment


def assessment_questions_configure(*, actor: Actor, question_set: dict) -> dict:
    """The program's own assessment questions (program configuration): checked, saved, audited."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    clean = questions.validate_configuration(question_set)
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=actor.program_id)
        program.configuration = {**program.configuration, "assessment_questions": clean}
        program.save(update_fields=["configuration"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="Program", object_id=program.pk,
            detail={"assessment_questions": {domain: len(qs) for domain, qs in clean.items()}},
        )  # fmt: skip
    return clean


# ---- outcome snapshots -------------------------------------------------------------------------

ERR_SNAPSHOT_REASON = "Say whether this is the monthly check or a change."
ERR_LIVING_SITUATION = "Choose where the participant is living."
ERR_EMPLOYMENT = "Choose where the participant is on the employment continuum."
ERR_INSURANCE = "Choose the participant's health insurance."
ERR_INCOME_SOURCE = "Choose income and benefits from the list."
ERR_SNAPSHOT_FUTURE = "A snapshot cannot be dated in the future."
ERR_SNAPSHOT_OLD = "A snapshot cannot be dated before the case was opened."
ERR_MONTH_DONE = "This month's snapshot is already recorded: record a change instead."
ERR_NOTHING_CHANGED = "Nothing differs from the last snapshot: there is no change to record."
ERR_SNAPSHOT_EXITED = "This case has exited: re-engage it before recording outcomes."
SNAPSHOT_FIELDS = ("living_situation", "employment", "income_sources", "health_insurance", "id_obtained")


def snapshot_values(snapshot: OutcomeSnapshot) -> dict:
    return {field: getattr(snapshot, field) for field in SNAPSHOT_FIELDS}


def snapshot_record(*, actor: Actor, case_id: int, as_of: dt.date, reason: str, living_situation: int,
                    employment: str, income_sources=(), health_insurance: str, id_obtained: bool = False,
                    now: dt.datetime | None = None) -> OutcomeSnapshot:  # fmt: skip
    """The participant's housing, work, income, insurance and ID as of a date.

    One monthly snapshot per calendar month; a change snapshot must differ from the one before it.
    """
    now = now or timezone.now()
    if reason not in OutcomeSnapshot.Reason.values:
        raise ValidationError(ERR_SNAPSHOT_REASON)
    if living_situation not in outcomes.LivingSituation.values:
        raise ValidationError(ERR_LIVING_SITUATION)
    if employment not in outcomes.Employment.values:
        raise ValidationError(ERR_EMPLOYMENT)
    if health_insurance not in outcomes.Insurance.values:
        raise ValidationError(ERR_INSURANCE)
    if any(source not in outcomes.IncomeSource.values for source in income_sources):
        raise ValidationError(ERR_INCOME_SOURCE)
    sources = [source for source in outcomes.IncomeSource.values if source in set(income_sources)]
    if as_of > _local_today(actor):
        raise ValidationError(ERR_SNAPSHOT_FUTURE)
    with transaction.atomic(), trusted("cases.snapshot_record"):
        case = _case_for_update(actor, case_id)
        if case.status == Status.EXITED:
            raise ValidationError(ERR_SNAPSHOT_EXITED)
        if as_of < timezone.localdate(case.opened_at, timezone=actor.program.zone):
            raise ValidationError(ERR_SNAPSHOT_OLD)
        earlier = OutcomeSnapshot.objects.filter(case=case)
        if (
            reason == OutcomeSnapshot.Reason.MONTHLY
            and earlier.filter(reason=reason, as_of__year=as_of.year, as_of__month=as_of.month).exists()
        ):
            raise ValidationError(ERR_MONTH_DONE)
        snapshot = OutcomeSnapshot(
            program_id=case.program_id, case=case, as_of=as_of, reason=reason,
            living_situation=living_situation, employment=employment, income_sources=sources,
            health_insurance=health_insurance, id_obtained=id_obtained, by=_user(actor), created_at=now,
        )  # fmt: skip
        previous = earlier.filter(as_of__lte=as_of).order_by("-as_of", "-id").first()
        if (
            reason == OutcomeSnapshot.Reason.CHANGE
            and previous
            and snapshot_values(previous) == snapshot_values(snapshot)
        ):
            raise ValidationError(ERR_NOTHING_CHANGED)
        snapshot.save()
        changed = (
            sorted(k for k, v in snapshot_values(snapshot).items() if snapshot_values(previous)[k] != v)
            if previous
            else list(SNAPSHOT_FIELDS)
        )
        audit_record(
            actor=actor, action=Action.CREATE, object_type="OutcomeSnapshot", object_id=snapshot.pk,
            detail={"case": case.pk, "reason": reason, "as_of": as_of.isoformat(), "changed": changed},
        )  # fmt: skip
    return snapshot
