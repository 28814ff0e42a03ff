from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from offramp.access.policy import Category, Scope
from offramp.analysis import queries as analysis_queries
from offramp.cases import queries as case_queries
from offramp.referrals.models import Door
from offramp.web.context import landing_url


@require_GET
@login_required
def home(request):
    """Send each user to the first page their roles open; explain when they have none."""
    url = landing_url(request.actor)
    if url:
        return redirect(url)
    return render(request, "web/no_role.html", status=200)


@require_GET
@login_required
def evaluation(request):
    """The evaluator's page: enrolment counts, the program's studies and their runs."""
    actor = request.actor
    rows = case_queries.enrolment_counts(actor)
    doors = dict(Door.choices)
    return render(
        request,
        "web/evaluation.html",
        {
            "rows": rows,
            "doors": doors,
            "small_cell": case_queries.SMALL_CELL,
            "studies": analysis_queries.studies_with_runs(actor),
            "may_import": actor.has(Category.PROGRAM_CONFIG, Scope.PROGRAM),
        },
    )


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
