"""A case's page: the caseload, the case, contacts, status changes, assignment, the overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.cases import actions, forms, queries
from offramp.cases.intake_clock import intake_complete
from offramp.cases.models import Status
from offramp.cases.wording import exit_reason_labels
from offramp.params import int_param


@require_GET
@login_required
def caseload(request):
    actor = request.actor
    filters = queries.caseload_filter(
        actor,
        manager=int_param(request.GET.get("manager"), default=None),
        status=request.GET.get("status", queries.OPEN),
        sort=request.GET.get("sort", "name"),
        cursor=request.GET.get("cursor", "")[:200],
        flag=request.GET.get("flag", ""),
    )
    page = queries.caseload(actor, filters)
    kept = request.GET.copy()
    kept.pop("cursor", None)
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
        "exit_form": bound.get("exit_form")
        or forms.ExitForm(labels=exit_reason_labels(request.actor.program)),
        "intake_form": bound.get("intake_form") or forms.IntakeForm(),
        "can_change": case.access.may_change,
        "can_profile": queries.identity_visible(request.actor),
        "soft_warning": bound.get("soft_warning"),
        "exit_confirm": bound.get("exit_confirm"),
    }
    if case.access.may_assign:
        search = request.GET.get("manager_q", "") if request.method == "GET" else ""
        context["assign_form"], context["assign_choices"] = bound.get("assign") or _assign_form(
            request.actor, search=search
        )
    else:
        context["assign_form"] = None
    return render(request, "cases/case_detail.html", context, status=status)


def _assign_form(actor, data=None, search: str = ""):
    """The assign form and its choices: a bounded list of case managers (a search narrows it); a posted
    choice is offered too, so the form can check it."""
    posted = int_param(data.get("case_manager"), default=None) if data else None
    choices = queries.assignable_case_managers(actor, search=search, include=posted)
    form = forms.AssignForm(
        data, managers=choices.choices, soft_limit=int(actor.program.setting("caseload_soft_limit"))
    )
    return form, choices


@require_GET
@login_required
def case_detail(request, case_id: int):
    return _case_page(request, case_id)


def refused(form, exc: ValidationError):
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
            refused(form, exc)
        else:
            messages.success(request, "Contact recorded.")
            return redirect("cases:detail", case_id=case_id)
    return _case_page(request, case_id, status=400, contact_form=form)


def _intake_complete(*, actor, case_id):
    return intake_complete(actor=actor, case_id=case_id)  # also tells the prosecutor when in time


def _status_change(request, case_id: int, form_class, action, done: str, name: str):
    """One small form on the case page: its action, then back to the case (or the page with the errors)."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=request.actor, case_id=case_id, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:detail", case_id=case_id)
    return _case_page(request, case_id, status=400, **{name: form})


# Each change of status: (form, action, message, the case page's name for the form).
INTAKE = (forms.IntakeForm, _intake_complete, "Intake completed.", "intake_form")


INACTIVE = (forms.InactiveForm, actions.case_inactivate, "The case is now inactive.", "inactive_form")


REENGAGE = (forms.ReengageForm, actions.case_reengage, "The case is open again.", "reengage_form")


EXIT = (forms.ExitForm, actions.case_exit, "The case has exited.", "exit_form")


@require_POST
@login_required
def intake_complete_view(request, case_id: int):
    """Intake completed: the case becomes active (and, in time, the prosecutor is told not to file)."""
    return _status_change(request, case_id, *INTAKE)


@require_POST
@login_required
def inactivate(request, case_id: int):
    return _status_change(request, case_id, *INACTIVE)


@require_POST
@login_required
def reengage(request, case_id: int):
    return _status_change(request, case_id, *REENGAGE)


@require_POST
@login_required
def exit_case(request, case_id: int):
    """Exit asks first: the case page again with what was chosen and a confirm button (no script)."""
    form = forms.ExitForm(request.POST)
    if form.is_valid() and request.POST.get("confirmed") != "yes":
        reason = dict(form.fields["exit_reason"].choices)[form.cleaned_data["exit_reason"]]
        return _case_page(request, case_id, exit_form=form, exit_confirm=reason)
    return _status_change(request, case_id, *EXIT)


@require_POST
@login_required
def status_unknown(request, case_id: int, change: str):
    """A change of status the case page does not offer."""
    return HttpResponseBadRequest("Unknown change")


@require_POST
@login_required
def assign(request, case_id: int):
    """A supervisor assigns or reassigns the case: past the soft limit they confirm; the hard one stops it."""
    queries.require_assigner(request.actor)
    form, choices = _assign_form(request.actor, request.POST)
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
            form, choices = _assign_form(request.actor, {**request.POST.dict(), "confirm": "True"})
            form.is_valid()
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, "The case was assigned.")
            return redirect("cases:detail", case_id=case_id)
    return _case_page(request, case_id, status=400, assign=(form, choices), soft_warning=warning)


@require_GET
@login_required
def overview(request):
    summary = queries.program_overview(
        request.actor,
        search=request.GET.get("q", ""),
        sort=request.GET.get("sort", "name"),
        page=int_param(request.GET.get("page"), default=1),
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "summary": summary,
        "page": summary.managers,
        "query_prefix": f"{kept.urlencode()}&" if kept else "",
        "soft_limit": int(request.actor.program.setting("caseload_soft_limit")),
        "statuses": Status.choices,
        "hard_limit": int(request.actor.program.setting("caseload_hard_limit")),
    }
    return render(request, "cases/overview.html", context)
