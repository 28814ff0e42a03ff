from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from offramp.access.policy import OVERSEE
from offramp.files.cells import csv_writer
from offramp.referrals.models import Door
from offramp.reports import council, council_actions, council_files, queries, tasks
from offramp.reports import funder as funder_report
from offramp.reports.forms import CouncilReportForm
from offramp.reports.period import FilterError, period_from
from offramp.reports.quarter import quarter_from


@require_GET
@login_required
def dashboard(request):
    """The program dashboard: aggregate figures for a period and door, printable."""
    actor = request.actor
    actor.require(*OVERSEE)
    today = timezone.localdate(timezone=actor.program.zone)
    try:
        period = period_from(request.GET, today=today, zone=actor.program.zone)
    except FilterError as error:
        period = period_from({}, today=today, zone=actor.program.zone)
        context = {"error": str(error), "period": period, "doors": Door.choices, "params": request.GET}
        return render(request, "reports/dashboard.html", context, status=400)
    context = {"period": period, "doors": Door.choices, "params": request.GET}
    context.update(queries.dashboard_for(actor, period))
    return render(request, "reports/dashboard.html", context)


def _quarter(request):
    actor = request.actor
    actor.require(*OVERSEE)
    today = timezone.localdate(timezone=actor.program.zone)
    return quarter_from(request.GET, today=today, zone=actor.program.zone)


@require_GET
@login_required
def funder(request):
    """The funder's quarterly measures for one calendar quarter, printable."""
    try:
        quarter, period = _quarter(request)
    except FilterError as error:
        context = {"error": str(error), "params": request.GET}
        return render(request, "reports/funder.html", context, status=400)
    context = {"period": period, "params": request.GET}
    context.update(funder_report.funder_report_for(request.actor, quarter, period))
    return render(request, "reports/funder.html", context)


@require_GET
@login_required
def funder_csv(request):
    """The funder's measures as a CSV laid out like the questionnaire; audited like the page."""
    try:
        quarter, period = _quarter(request)
    except FilterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    report = funder_report.funder_report_for(request.actor, quarter, period, view="funder_csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funder-measures-{quarter}.csv"'
    csv_writer(response).writerows(funder_report.csv_rows(report))
    return response


def _council_actor(request):
    actor = request.actor
    council.require_roles(actor)
    return actor


@login_required
def council_page(request):
    """Make a council report from two raw exports (a background task) and the reports made so far."""
    actor = _council_actor(request)
    form = CouncilReportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = tasks.council_report_enqueue(
                actor=actor,
                arrests=data["arrests"],
                records=data["records"],
                arrests_mapping=data["arrests_mapping"],
                records_mapping=data["records_mapping"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("jobs:detail", job_id=job.pk)
    reports = council_actions.council_reports_for(actor)
    return render(request, "reports/council.html", {"form": form, "errors": errors, "reports": reports})


@require_GET
@login_required
def council_report(request, report_id: int):
    """One council report, printable."""
    saved = council_actions.council_report_for(_council_actor(request), report_id)
    return render(request, "reports/council_report.html", {"saved": saved, "report": saved.report})


@require_GET
@login_required
def council_json(request, report_id: int):
    """Every figure of one council report as JSON; audited as an export."""
    saved = council_actions.council_report_for(_council_actor(request), report_id, export=True)
    response = HttpResponse(council_files.report_json(saved.report), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="council-report-{saved.pk}.json"'
    return response
