import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from offramp.access.audit import Action
from offramp.access.deidentify import COLUMNS
from offramp.cases import consent_expiry
from offramp.files.cells import csv_dict_writer
from offramp.params import int_param
from offramp.privacy import actions, forms, queries


@require_GET
@login_required
def consents_expiring(request):
    """The case team's consents whose date comes in the next 30 days, soonest first."""
    rows = consent_expiry.consents_expiring(request.actor)
    context = {"rows": rows, "days": consent_expiry.REPORT_DAYS}
    return render(request, "access/consents_expiring.html", context)


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
@login_required
def audit_log(request):
    get = request.GET
    filters = queries.AuditFilter(
        user=get.get("user", "")[:150],
        action=get.get("action", "")[:32],
        object_type=get.get("object_type", "")[:64],
        object_id=get.get("object_id", "")[:64],
        person_id=int_param(get.get("person"), default=None),
        since=_date(get.get("since")),
        until=_date(get.get("until")),
        cursor=get.get("cursor", "")[:200],
    )
    page = queries.audit_entries(request.actor, filters)
    query = get.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    actions = sorted(v for k, v in vars(Action).items() if k.isupper())
    context = {
        "page": page,
        "filters": filters,
        "actions": actions,
        "query_prefix": query.urlencode() + "&" if query else "",
    }
    return render(request, "access/audit_log.html", context)


@require_GET
@login_required
def disclosures(request, case_id: int):
    accounting = queries.disclosure_accounting(request.actor, case_id)
    return render(request, "access/disclosures.html", {"accounting": accounting, "case": accounting.case})


@login_required
def consent_new(request, case_id: int):
    """Record a participant's signed consent; `?form=prosecutor` or `?form=public_defender` starts from
    that recipient's form (forms.STARTING_FORMS)."""
    actor = request.actor
    case = queries.consent_form_case(actor, case_id)
    if request.method == "POST":
        form = forms.ConsentForm(request.POST)
        if form.is_valid():
            try:
                actions.consent_record(actor=actor, case_id=case.pk, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "The consent was recorded.")
                return redirect("access:disclosures", case_id=case.pk)
    else:
        initial = {"signed_on": timezone.localdate(timezone=actor.program.zone)}
        initial.update(forms.STARTING_FORMS.get(request.GET.get("form", ""), {}))
        form = forms.ConsentForm(initial=initial)
    status = 400 if request.method == "POST" else 200
    return render(request, "access/consent_form.html", {"case": case, "form": form}, status=status)


CONSENT_CHANGES = {
    "revoke": (
        actions.consent_revoke,
        "The consent was revoked. No further disclosure will be made under it.",
    ),
    "proceeding_end": (actions.consent_proceeding_end, "The end of the proceeding was recorded."),
}


@require_POST
@login_required
def consent_change(request, consent_id: int):
    change, done = CONSENT_CHANGES.get(request.POST.get("change", ""), (None, ""))
    case_id = int_param(request.POST.get("case"), default=None)
    if change is None or case_id is None:
        return HttpResponseBadRequest("Unknown change")
    try:
        change(actor=request.actor, consent_id=consent_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("access:disclosures", case_id=case_id)


@require_GET
@login_required
def deidentified_export(request):
    """The Safe Harbor export as CSV, for evaluators and project managers."""
    from django.http import HttpResponse

    # Each export gets its own research IDs unless the evaluator asks for the stable ones (?ids=stable).
    rows = queries.deidentified_export(request.actor, stable_ids=request.GET.get("ids") == "stable")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="offramp-deidentified.csv"'
    writer = csv_dict_writer(response, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return response


@require_GET
@login_required
def consent_release_form(request, case_id: int, consent_id: int):
    """The printable release-of-information form of one consent, in English and Spanish."""
    form = queries.consent_release_form(request.actor, case_id, consent_id)
    return render(request, "access/release_form.html", {"form": form, "program": request.actor.program})
