from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.access.policy import Category, Scope
from offramp.cases import actions, forms, outcomes, queries, questions
from offramp.cases.models import Goal, Status
from offramp.web.forms import int_param


@require_GET
@login_required
def caseload(request):
    actor = request.actor
    filters = queries.CaseloadFilter(
        case_manager_id=int_param(request.GET.get("manager"), default=None)
        if actor.scope(Category.CASE_RECORD) == Scope.PROGRAM
        else actor.user_id,
        status=request.GET.get("status", queries.OPEN),
        sort=request.GET.get("sort", "name"),
        page=int_param(request.GET.get("page"), default=1),
        flag=request.GET.get("flag", ""),
    )
    page = queries.caseload(actor, filters)
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "cases/caseload.html",
        {
            "page": page,
            "filters": filters,
            "statuses": queries.STATUS_FILTERS,
            "sorts": queries.SORT_LABELS,
            "flags": queries.FLAG_FILTERS,
            "query_prefix": f"{kept.urlencode()}&" if kept else "",
        },
    )


def _case_page(request, case_id: int, status: int = 200, **bound):
    case = queries.case_get(request.actor, case_id)
    last_kind = case.recent_contacts[0].kind if case.recent_contacts else None
    context = {
        "case": case,
        "contact_form": bound.get("contact_form") or forms.ContactForm(last_kind=last_kind),
        "inactive_form": bound.get("inactive_form") or forms.InactiveForm(),
        "reengage_form": bound.get("reengage_form") or forms.ReengageForm(),
        "exit_form": bound.get("exit_form") or forms.ExitForm(),
        "intake_form": bound.get("intake_form") or forms.IntakeForm(),
        "can_change": actions.case_team_scope(request.actor) >= Scope.OWN,
        "assign_form": bound.get("assign_form") or _assign_form(request.actor),
        "soft_warning": bound.get("soft_warning"),
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _assign_form(actor, data=None):
    if not actions.may_assign(actor):
        return None
    managers = queries.assignable_case_managers(actor)
    return forms.AssignForm(
        data, managers=managers, soft_limit=int(actor.program.setting("caseload_soft_limit"))
    )


@require_GET
@login_required
def case_detail(request, case_id: int):
    return _case_page(request, case_id)


def _refused(form, exc: ValidationError):
    for message in exc.messages:
        form.add_error(None, message)


@require_POST
@login_required
def contact_add(request, case_id: int):
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.contact_record(actor=request.actor, case_id=case_id, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Contact recorded.")
            return redirect("cases:detail", case_id=case_id)
    return _case_page(request, case_id, status=400, contact_form=form)


def _intake_complete(*, actor, case_id):
    from offramp.referrals.intake_clock import intake_complete  # also tells the prosecutor when in time

    return intake_complete(actor=actor, case_id=case_id)


# change -> (form, action, message, the case page's name for the form)
STATUS_CHANGES = {
    "intake": (forms.IntakeForm, _intake_complete, "Intake completed.", "intake_form"),
    "inactive": (forms.InactiveForm, actions.case_inactivate, "The case is now inactive.", "inactive_form"),
    "reengage": (forms.ReengageForm, actions.case_reengage, "The case is open again.", "reengage_form"),
    "exit": (forms.ExitForm, actions.case_exit, "The case has exited.", "exit_form"),
}


@require_POST
@login_required
def status_change(request, case_id: int):
    """Intake completed, inactive, re-engaged or exited: one small form each on the case page."""
    if request.POST.get("change") not in STATUS_CHANGES:
        return HttpResponseBadRequest("Unknown change")
    form_class, action, done, name = STATUS_CHANGES[request.POST["change"]]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=request.actor, case_id=case_id, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:detail", case_id=case_id)
    return _case_page(request, case_id, status=400, **{name: form})


def _plan_page(request, case_id: int, status: int = 200, conflict=None, **bound):
    view = queries.plan_get(request.actor, case_id)
    can_change = actions.case_team_scope(request.actor) >= Scope.OWN
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


def _plan_action(actor, case_id: int, change: str, goal, form) -> None:
    data = form.cleaned_data
    if change == "goal_add":
        actions.goal_add(actor=actor, case_id=case_id, **data)
    elif change == "goal_edit":
        actions.goal_update(actor=actor, goal_id=goal.pk, **form.action_kwargs())
    elif change == "step_add":
        actions.step_add(actor=actor, goal_id=goal.pk, **data)
    else:
        actions.plan_agree(actor=actor, case_id=case_id, **data)


@require_POST
@login_required
def plan_change(request, case_id: int):
    """Add a goal, change a goal, add a step, or record the participant's agreement."""
    actor, change = request.actor, request.POST.get("change", "")
    goal = None
    if change in ("goal_edit", "step_add"):
        view = queries.plan_get(actor, case_id)
        goal_id = int_param(request.POST.get("goal"), default=None)
        goal = next((g for g in view.goals if g.pk == goal_id), None)
        if goal is None:
            raise Http404("Not found")
    if change == "goal_add":
        form, name = forms.GoalAddForm(request.POST), "goal_form"
    elif change == "goal_edit":
        form, name = forms.GoalEditForm(request.POST, goal=goal, steps=goal.step_list), "edit_forms"
    elif change == "step_add":
        form, name = forms.StepForm(request.POST, goal=goal), "step_forms"
    elif change == "agree":
        form, name = forms.AgreementForm(request.POST), "agreement_form"
    else:
        return HttpResponseBadRequest("Unknown change")
    bound = {name: {goal.pk: form} if goal is not None else form}
    if form.is_valid():
        try:
            _plan_action(actor, case_id, change, goal, form)
        except actions.StaleVersion as exc:
            return _plan_page(request, case_id, status=409, conflict=_conflict(form, exc))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The plan was saved.")
            return redirect("cases:plan", case_id=case_id)
    return _plan_page(request, case_id, status=400, **bound)


@require_POST
@login_required
def assign(request, case_id: int):
    """A supervisor assigns or reassigns the case: past the soft limit they confirm; the hard one stops it."""
    form = _assign_form(request.actor, request.POST)
    if form is None:
        raise Http404("Not found")
    warning = None
    if form.is_valid():
        try:
            data = form.cleaned_data
            actions.case_assign(
                actor=request.actor,
                case_id=case_id,
                case_manager_id=data["case_manager"],
                confirm=data["confirm"],
            )
        except actions.OverSoftLimit as exc:
            warning = " ".join(exc.messages)
            form = _assign_form(request.actor, {**request.POST.dict(), "confirm": "True"})
            form.is_valid()
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The case was assigned.")
            return redirect("cases:detail", case_id=case_id)
    return _case_page(request, case_id, status=400, assign_form=form, soft_warning=warning)


@require_GET
@login_required
def overview(request):
    summary = queries.program_overview(request.actor)
    return render(request, "cases/overview.html", {"summary": summary, "statuses": Status.choices})


# ---- intake and assessment ---------------------------------------------------------------------


def _may_change(actor) -> bool:
    return actions.case_team_scope(actor) >= Scope.OWN


def _require_case_team(actor) -> None:
    """Recording and correcting assessments is the case team's: anyone else gets 404."""
    if not _may_change(actor):
        raise Http404("Not found")


@require_GET
@login_required
def assessments(request, case_id: int):
    view = queries.assessments_get(request.actor, case_id)
    return render(
        request,
        "cases/assessments.html",
        {"view": view, "case": view.case, "can_change": _may_change(request.actor)},
    )


def _asked_domains(actor, kind: str):
    return questions.domains_for(
        kind, questions.question_set(actor.program), part2=actor.has(Category.PART2, Scope.OWN)
    )


@login_required
def assessment_new(request, case_id: int):
    """A new critical-needs check (?kind=critical) or in-depth assessment (?kind=full)."""
    actor = request.actor
    _require_case_team(actor)
    kind = request.POST.get("kind") or request.GET.get("kind", questions.FULL)
    if kind not in questions.KINDS:
        return HttpResponseBadRequest("Unknown kind of assessment")
    case = queries.case_brief(actor, case_id)
    data = request.POST if request.method == "POST" else None
    form = forms.AssessmentForm(data, domains=_asked_domains(actor, kind))
    if request.method == "POST" and form.is_valid():
        try:
            actions.assessment_record(
                actor=actor, case_id=case_id, kind=kind, assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
            )  # fmt: skip
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{questions.KINDS[kind]} saved.")
            return redirect("cases:assessments", case_id=case_id)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "kind": kind, "kind_label": questions.KINDS[kind]}
    return render(request, "cases/assessment_form.html", context, status=status)


def _assessment_conflict(form, exc: actions.StaleVersion) -> dict:
    """Each answer in the user's version and the saved one; the user's answers ready on the fresh version."""
    mine, saved = form.answers(), exc.current
    rows = []
    for domain, fields in form.groups():
        for question, field in zip(domain.questions, fields, strict=True):
            a, b = (
                mine.get(domain.key, {}).get(question.key, ""),
                saved.get(domain.key, {}).get(question.key, ""),
            )
            rows.append((f"{domain.label}: {field.label}", a or "no answer", b or "no answer", a != b))
    initial = {**form.cleaned_data, "version": exc.version}
    merge = forms.AssessmentForm(domains=form.domains, initial=initial)
    return {"rows": rows, "version": exc.version, "form": merge}


@login_required
def assessment_edit(request, case_id: int, assessment_id: int):
    """Correct an assessment; a save based on an older version is refused with both versions shown."""
    actor = request.actor
    _require_case_team(actor)
    assessment = queries.assessment_get(actor, case_id, assessment_id)
    part2 = actor.has(Category.PART2, Scope.OWN)
    domains = questions.domains_for(assessment.kind, assessment.questions, part2=part2)
    values = actions.assessment_values(assessment, part2=part2)
    if request.method != "POST":
        form = forms.AssessmentForm(domains=domains, initial=forms.assessment_initial(assessment, values))
        return _assessment_page(request, assessment, form)
    form = forms.AssessmentForm(request.POST, domains=domains)
    if form.is_valid():
        try:
            actions.assessment_update(
                actor=actor, case_id=case_id, assessment_id=assessment.pk,
                version=form.cleaned_data["version"] or 0, assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
            )  # fmt: skip
        except actions.StaleVersion as exc:
            return _assessment_page(
                request, assessment, form, conflict=_assessment_conflict(form, exc), status=409
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The assessment was saved.")
            return redirect("cases:assessments", case_id=case_id)
    return _assessment_page(request, assessment, form, status=400)


def _assessment_page(request, assessment, form, conflict=None, status=200):
    context = {
        "case": assessment.case, "assessment": assessment, "form": conflict["form"] if conflict else form,
        "kind": assessment.kind, "kind_label": assessment.get_kind_display(), "conflict": conflict,
    }  # fmt: skip
    return render(request, "cases/assessment_form.html", context, status=status)


# ---- outcomes and the participant timeline -----------------------------------------------------


def _timeline_page(request, case_id: int, form=None, status=200):
    view = queries.timeline(request.actor, case_id)
    can_record = _may_change(request.actor) and view.case.status != Status.EXITED
    if form is None and can_record:
        form = forms.SnapshotForm(latest=view.latest, monthly_due=view.monthly_due)
    context = {
        "view": view, "case": view.case, "can_record": can_record, "form": form,
        "housing_group": outcomes.housing_group(view.latest.living_situation) if view.latest else "",
    }  # fmt: skip
    return render(request, "cases/timeline.html", context, status=status)


@require_GET
@login_required
def timeline(request, case_id: int):
    return _timeline_page(request, case_id)


@require_POST
@login_required
def snapshot_add(request, case_id: int):
    form = forms.SnapshotForm(request.POST)
    if form.is_valid():
        try:
            actions.snapshot_record(actor=request.actor, case_id=case_id, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Outcomes recorded.")
            return redirect("cases:timeline", case_id=case_id)
    return _timeline_page(request, case_id, form=form, status=400)
