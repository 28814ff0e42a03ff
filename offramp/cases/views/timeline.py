"""Outcomes and the participant's timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.cases import actions, forms, outcomes, queries
from offramp.cases.models import Status
from offramp.cases.views.case import refused


def _timeline_page(request, case_id: int, form=None, status=200):
    view = queries.timeline(request.actor, case_id)
    can_record = view.case.access.may_change and view.case.status != Status.EXITED
    if form is None and can_record:
        form = forms.SnapshotForm(latest=view.latest, monthly_due=view.monthly_due)
    context = {
        "view": view,
        "case": view.case,
        "can_record": can_record,
        "form": form,
        "housing_group": outcomes.housing_group(view.latest.living_situation) if view.latest else "",
    }
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
            refused(form, exc)
        else:
            messages.success(request, "Outcomes recorded.")
            return redirect("cases:timeline", case_id=case_id)
    return _timeline_page(request, case_id, form=form, status=400)
