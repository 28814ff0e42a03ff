from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from offramp.access.policy import Category, Scope
from offramp.referrals.models import Door
from offramp.reports import queries
from offramp.reports.period import FilterError, period_from


@require_GET
@login_required
def dashboard(request):
    """The program dashboard: aggregate figures for a period and door, printable."""
    actor = request.actor
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
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
