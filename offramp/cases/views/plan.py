"""The Individual Intervention Plan's page and its changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.cases import actions, forms, queries
from offramp.cases.models import Goal
from offramp.cases.views.case import refused
from offramp.params import int_param


def _plan_page(request, case_id: int, status: int = 200, conflict=None, **bound):
    view = queries.plan_get(request.actor, case_id)
    can_change = view.case.access.may_change
    for goal in view.goals:
        edit = bound.get("edit_forms", {}).get(goal.pk)
        goal.edit_form = edit or forms.GoalEditForm(goal=goal, steps=goal.step_list)
        goal.step_form = bound.get("step_forms", {}).get(goal.pk) or forms.StepForm(goal=goal)
        goal.open = edit is not None or goal.pk in bound.get("step_forms", {})
    version = view.plan.version if view.plan else 0
    context = {
        "view": view,
        "case": view.case,
        "plan": view.plan,
        "can_change": can_change,
        "conflict": conflict,
        "goal_form": bound.get("goal_form") or forms.GoalAddForm(),
        "agreement_form": bound.get("agreement_form") or forms.AgreementForm(initial={"version": version}),
        "agreement_current": bool(view.plan and view.plan.agreed_version == view.plan.version),
    }
    return render(request, "cases/plan.html", context, status=status)


@require_GET
@login_required
def plan(request, case_id: int):
    return _plan_page(request, case_id)


def _conflict(goal_form, exc: actions.StaleVersion) -> dict:
    """Both versions of a goal side by side, and the user's change ready to save on the fresh version."""
    mine = goal_form.cleaned_data
    saved = exc.current
    steps = {s.pk: s.what for s in goal_form.steps}
    progress = dict(Goal.Progress.choices)
    rows = [
        ("In the participant's own words", mine["in_own_words"], saved["in_own_words"]),
        ("Area of life", dict(Goal.Area.choices)[mine["area"]], dict(Goal.Area.choices)[saved["area"]]),
        ("Where it stands", progress[mine["status"]], progress[saved["status"]]),
        ("Target date", mine["target_date"] or "none", saved["target_date"] or "none"),
    ]
    for pk, what in steps.items():
        rows.append(
            (f"Step: {what}", progress[mine[f"step_{pk}"]], progress.get(saved["steps"].get(pk), "removed"))
        )
    initial = {**mine, "version": exc.version}
    merge_form = forms.GoalEditForm(goal=goal_form.goal, steps=goal_form.steps, initial=initial)
    return {
        "goal": goal_form.goal,
        "rows": [(label, a, b, a != b) for label, a, b in rows],
        "version": exc.version,
        "merge_form": merge_form,
    }


def _goal_posted(request, case_id: int):
    """The goal a plan form names, if the actor may read it on this case; else 404."""
    view = queries.plan_get(request.actor, case_id)
    goal_id = int_param(request.POST.get("goal"), default=None)
    goal = next((g for g in view.goals if g.pk == goal_id), None)
    if goal is None:
        raise Http404("Not found")
    return goal


def _plan_save(request, case_id: int, form, bound: dict, save) -> HttpResponse:
    """Run one change of the plan; a save from an older version shows both versions (409)."""
    if form.is_valid():
        try:
            save(form)
        except actions.StaleVersion as exc:
            return _plan_page(request, case_id, status=409, conflict=_conflict(form, exc))
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, "The plan was saved.")
            return redirect("cases:plan", case_id=case_id)
    return _plan_page(request, case_id, status=400, **bound)


@require_POST
@login_required
def plan_goal_add(request, case_id: int):
    form = forms.GoalAddForm(request.POST)
    return _plan_save(
        request,
        case_id,
        form,
        {"goal_form": form},
        lambda f: actions.goal_add(actor=request.actor, case_id=case_id, **f.cleaned_data),
    )


@require_POST
@login_required
def plan_goal_edit(request, case_id: int):
    goal = _goal_posted(request, case_id)
    form = forms.GoalEditForm(request.POST, goal=goal, steps=goal.step_list)
    return _plan_save(
        request,
        case_id,
        form,
        {"edit_forms": {goal.pk: form}},
        lambda f: actions.goal_update(actor=request.actor, goal_id=goal.pk, **f.action_kwargs()),
    )


@require_POST
@login_required
def plan_step_add(request, case_id: int):
    goal = _goal_posted(request, case_id)
    form = forms.StepForm(request.POST, goal=goal)
    return _plan_save(
        request,
        case_id,
        form,
        {"step_forms": {goal.pk: form}},
        lambda f: actions.step_add(actor=request.actor, goal_id=goal.pk, **f.cleaned_data),
    )


@require_POST
@login_required
def plan_agree(request, case_id: int):
    form = forms.AgreementForm(request.POST)
    return _plan_save(
        request,
        case_id,
        form,
        {"agreement_form": form},
        lambda f: actions.plan_agree(actor=request.actor, case_id=case_id, **f.cleaned_data),
    )


@require_POST
@login_required
def plan_unknown(request, case_id: int, change: str):
    """A change of the plan the page does not offer."""
    return HttpResponseBadRequest("Unknown change")
