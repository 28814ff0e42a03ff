"""The on-call rota."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from offramp.cases import forms
from offramp.cases.actions import rota as rota_actions
from offramp.programs import queries as program_queries


@require_http_methods(["GET", "POST"])
@login_required
def oncall(request):
    """The on-call rota: who takes new hand-offs by weekday and hour, with a fallback. Supervisors and
    the project manager edit it."""
    actor = request.actor
    if not rota_actions.may_edit_rota(actor):
        raise Http404("Not found")
    managers = program_queries.routable_by_name(actor.program_id)
    form = forms.ShiftForm(request.POST or None, managers=managers)
    if request.method == "POST" and form.is_valid():
        try:
            rota_actions.oncall_shift_add(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("cases:oncall")
    local = timezone.now().astimezone(actor.program.zone)
    on_call, fallback = program_queries.on_call_now(actor.program_id, local)
    return render(
        request,
        "cases/oncall.html",
        {
            "form": form,
            "rows": program_queries.rota_rows(actor.program_id),
            "now_names": [str(u) for u in on_call],
            "now_fallback": fallback,
            "local": local,
            "routable": {u.pk for u in managers},
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def oncall_remove(request, shift_id: int):
    rota_actions.oncall_shift_remove(actor=request.actor, shift_id=shift_id)
    return redirect("cases:oncall")
