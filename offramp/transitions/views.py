from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from offramp.directory.queries import SearchFilter, search_options, service_search
from offramp.programs.roles import Role
from offramp.transitions import actions, forms, queries


@require_GET
@login_required
def referrals(request, case_id: int):
    view = queries.case_transitions(request.actor, case_id)
    return render(request, "transitions/referrals.html", {"view": view, "case": view.case})


def _refused(form, exc: ValidationError):
    for message in exc.messages:
        form.add_error(None, message)


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request, case_id: int):
    actor = request.actor
    case = queries.case_for_referral(actor, case_id)
    search = SearchFilter(text=request.GET.get("q", "").strip(), need=request.GET.get("need", ""))
    results = service_search(actor, search) if (search.text or search.need) else []
    chosen = request.POST.get("service") or request.GET.get("service", "")
    form = forms.ReferralForm(request.POST or None, initial={"service": chosen})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.transition_referral_create(
                actor=actor,
                case_id=case.pk,
                area=data["area"],
                service_hsds_id=data["service"],
                provider_name=data["provider_name"],
                need=data["need"],
                follow_up_on=data["follow_up_on"],
                refer_now=data["refer_now"],
                override_reason=data["override_reason"],
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            return redirect("transitions:referrals", case.pk)
    context = {
        "case": case,
        "form": form,
        "search": search,
        "results": results,
        "chosen": chosen,
        "options": search_options(actor),
        "supervisor": Role.CASE_SUPERVISOR in actor.roles,
    }
    return render(request, "transitions/referral_new.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def referral_update(request, case_id: int, referral_id: int):
    actor = request.actor
    referral = queries.service_referral_get(actor, case_id, referral_id)
    form = forms.UpdateForm(
        request.POST or None,
        next_statuses=referral.next_statuses,
        initial={"follow_up_on": referral.follow_up_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follow_up = data["follow_up_on"] if data["follow_up_on"] != referral.follow_up_on else actions.KEEP
        try:
            actions.transition_referral_update(
                actor=actor,
                referral_id=referral.pk,
                to_status=data["to_status"],
                reason=data["reason"],
                provider_response=data["provider_response"],
                follow_up_on=follow_up,
                override_reason=data["override_reason"],
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            return redirect("transitions:referrals", referral.case.pk)
    context = {
        "referral": referral,
        "case": referral.case,
        "form": form,
        "supervisor": Role.CASE_SUPERVISOR in actor.roles,
    }
    return render(request, "transitions/referral_update.html", context, status=400 if form.errors else 200)
