from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from offramp.access.policy import Category, Scope
from offramp.cases import queries
from offramp.cases.models import Status
from offramp.web.forms import int_param


@require_GET
@login_required
def caseload(request):
    actor = request.actor
    filters = queries.CaseloadFilter(
        case_manager_id=int_param(request.GET.get("manager"), default=None)
        if actor.scope(Category.CASE_RECORD) == Scope.PROGRAM
        else actor.user_id,
        status=request.GET.get("status", queries.OPEN),
        sort=request.GET.get("sort", "name"),
        page=int_param(request.GET.get("page"), default=1),
    )
    page = queries.caseload(actor, filters)
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "cases/caseload.html",
        {
            "page": page,
            "filters": filters,
            "statuses": queries.STATUS_FILTERS,
            "sorts": queries.SORT_LABELS,
            "query_prefix": f"{kept.urlencode()}&" if kept else "",
        },
    )


@require_GET
@login_required
def case_detail(request, case_id: int):
    case = queries.case_get(request.actor, case_id)
    return render(request, "cases/case_detail.html", {"case": case})


@require_GET
@login_required
def overview(request):
    summary = queries.program_overview(request.actor)
    return render(request, "cases/overview.html", {"summary": summary, "statuses": Status.choices})
