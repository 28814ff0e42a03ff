import sys

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.http import require_GET

from offramp.access.policy import CONFIGURE
from offramp.analysis import queries as analysis_queries
from offramp.cases import queries as case_queries
from offramp.cases.actions.rota import may_edit_rota
from offramp.people.queries import link_suggestions_waiting
from offramp.referrals.models import Door
from offramp.web import today
from offramp.web.context import landing_url
from offramp.web.middleware import busy_response, database_busy


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
            "small_cell": actor.program.small_cell,
            "studies": analysis_queries.studies_with_runs(actor),
            "may_import": actor.has(*CONFIGURE),
        },
    )


def server_error(request):
    """handler500: a busy database met outside a view (a session saved afterwards) is a 503 too."""
    if database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)


@require_GET
@login_required
def day(request):
    """A case manager's landing page: today's work, each item one tap from the case; a supervisor's team."""
    view = today.day_for(request.actor)
    context = {
        "day": view,
        "may_edit_rota": may_edit_rota(request.actor),
        "duplicates": link_suggestions_waiting(request.actor),  # a count; the names are on their page
    }
    return render(request, "web/day.html", context)
