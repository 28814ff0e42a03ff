from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from offramp.access.policy import may_override_consent
from offramp.cases.actions import OverSoftLimit
from offramp.directory.queries import SearchFilter, search_options, service_search
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
        "supervisor": may_override_consent(actor),
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
        "supervisor": may_override_consent(actor),
    }
    return render(request, "transitions/referral_update.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def transfer(request, case_id: int):
    """The case team asks for the case to move to another case manager; a case supervisor decides."""
    actor = request.actor
    page = queries.transfer_page(actor, case_id)
    form = forms.TransferForm(request.POST or None, managers=page.managers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.transition_transfer_request(
                actor=actor, case_id=page.case.pk, to_manager_id=data["to_manager"], reason=data["reason"]
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Transfer requested: a case supervisor accepts or declines it.")
            return redirect("transitions:transfer", page.case.pk)
    context = {"page": page, "case": page.case, "form": form}
    return render(request, "transitions/transfer.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def transfers(request):
    """A case supervisor's transfers waiting for a decision."""
    waiting = queries.transfers_waiting(request.actor)
    items = [(t, forms.TransferDecisionForm(auto_id=f"t{t.pk}_%s")) for t in waiting]
    return render(request, "transitions/transfers.html", {"items": items})


@require_POST
@login_required
def transfer_decide(request, transfer_id: int):
    actor = request.actor
    form = forms.TransferDecisionForm(request.POST, auto_id=f"t{transfer_id}_%s")
    warning = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.transition_transfer_decide(
                actor=actor,
                transfer_id=transfer_id,
                accept=data["decision"] == "accept",
                reason=data["reason"],
                confirm=data["confirm"],
            )
        except OverSoftLimit as exc:
            warning = " ".join(exc.messages)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            word = "accepted: the case moved" if data["decision"] == "accept" else "declined"
            messages.success(request, f"Transfer {word}.")
            return redirect("transitions:transfers")
    waiting = queries.transfers_waiting(actor)
    items = [
        (t, form if t.pk == transfer_id else forms.TransferDecisionForm(auto_id=f"t{t.pk}_%s"))
        for t in waiting
    ]
    errors = [] if any(t.pk == transfer_id for t in waiting) else form.non_field_errors()
    context = {"items": items, "warning": warning, "warned": transfer_id, "errors": errors}
    return render(request, "transitions/transfers.html", context, status=400)
