"""The project manager's legal holds page: set a hold on a case's person, release one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from offramp.retention import actions, forms, queries
from offramp.retention.policy import require_hold_manager


def _page(request, form=None, status: int = 200):
    holds = queries.holds_for(request.actor)
    context = {"holds": holds, "form": form or forms.HoldForm(), "release_form": forms.ReleaseForm()}
    return render(request, "retention/holds.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def holds(request):
    if request.method == "GET":
        return _page(request)
    require_hold_manager(request.actor)
    form = forms.HoldForm(request.POST)
    if form.is_valid():
        try:
            actions.legal_hold_set(
                actor=request.actor, case_id=form.cleaned_data["case"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "The legal hold is set: retention removes nothing of this person's.")
            return redirect("retention:holds")
    return _page(request, form=form, status=400)


@require_POST
@login_required
def hold_release(request, hold_id: int):
    require_hold_manager(request.actor)
    form = forms.ReleaseForm(request.POST)
    if form.is_valid():
        try:
            actions.legal_hold_release(
                actor=request.actor, hold_id=hold_id, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The legal hold is released.")
    else:
        messages.error(request, "Write why the hold is released.")
    return redirect("retention:holds")
