from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from offramp.access.audit import Action, audit_record
from offramp.access.policy import CONFIGURE
from offramp.planning import inputs, model, page


@require_http_methods(["GET", "POST"])
@login_required
def plan(request):
    """Plan a program for a city that has none: upload its arrests, edit every assumption, print."""
    actor = request.actor
    actor.require(*CONFIGURE)
    example = request.GET.get("example") == "1" and request.method == "GET"
    outcome = None
    if request.method == "POST" or example:
        outcome = page.plan_from(request.POST, request.FILES, example=example)
        if outcome.brief is not None:
            file = outcome.brief["figures"]["file"]
            audit_record(
                actor=actor,
                action=Action.READ,
                object_type="ArrestFile",
                detail={"view": "planning", "file": file["name"], "rows": file["rows"]},
            )
    values = {a.name: (request.POST.get(a.name) or a.value) for a in model.DEFAULTS}
    context = {
        "outcome": outcome,
        "brief": outcome.brief if outcome else None,
        "defaults": [(a, values[a.name]) for a in model.DEFAULTS],
        "examples": inputs.EXAMPLES,
    }
    status = 400 if outcome is not None and outcome.errors else 200
    return render(request, "planning/page.html", context, status=status)
