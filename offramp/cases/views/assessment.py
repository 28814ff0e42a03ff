"""Intake and assessment pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from offramp.cases import actions, forms, queries, questions
from offramp.cases.views.case import refused


@require_GET
@login_required
def assessments(request, case_id: int):
    view = queries.assessments_get(request.actor, case_id)
    return render(
        request,
        "cases/assessments.html",
        {"view": view, "case": view.case, "can_change": view.case.access.may_change},
    )


def _asked_domains(actor, kind: str):
    return questions.domains_for(
        kind, questions.question_set(actor.program), part2=queries.part2_visible(actor)
    )


@login_required
def assessment_new(request, case_id: int):
    """A new critical-needs check (?kind=critical) or in-depth assessment (?kind=full)."""
    actor = request.actor
    queries.require_case_team(actor)  # recording assessments is the case team's
    kind = request.POST.get("kind") or request.GET.get("kind", questions.FULL)
    if kind not in questions.KINDS:
        return HttpResponseBadRequest("Unknown kind of assessment")
    case = queries.case_brief(actor, case_id)
    data = request.POST if request.method == "POST" else None
    form = forms.AssessmentForm(data, domains=_asked_domains(actor, kind))
    if request.method == "POST" and form.is_valid():
        try:
            actions.assessment_record(
                actor=actor,
                case_id=case_id,
                kind=kind,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
            )
        except ValidationError as exc:
            refused(form, exc)
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
    queries.require_case_team(actor)  # correcting assessments is the case team's
    assessment = queries.assessment_get(actor, case_id, assessment_id)
    part2 = queries.part2_visible(actor)
    domains = questions.domains_for(assessment.kind, assessment.questions, part2=part2)
    values = queries.assessment_values(assessment, part2=part2)
    if request.method != "POST":
        form = forms.AssessmentForm(domains=domains, initial=forms.assessment_initial(assessment, values))
        return _assessment_page(request, assessment, form)
    form = forms.AssessmentForm(request.POST, domains=domains)
    if form.is_valid():
        try:
            actions.assessment_update(
                actor=actor,
                case_id=case_id,
                assessment_id=assessment.pk,
                version=form.cleaned_data["version"] or 0,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
            )
        except actions.StaleVersion as exc:
            return _assessment_page(
                request, assessment, form, conflict=_assessment_conflict(form, exc), status=409
            )
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, "The assessment was saved.")
            return redirect("cases:assessments", case_id=case_id)
    return _assessment_page(request, assessment, form, status=400)


def _assessment_page(request, assessment, form, conflict=None, status=200):
    context = {
        "case": assessment.case,
        "assessment": assessment,
        "form": conflict["form"] if conflict else form,
        "kind": assessment.kind,
        "kind_label": assessment.get_kind_display(),
        "conflict": conflict,
    }
    return render(request, "cases/assessment_form.html", context, status=status)
