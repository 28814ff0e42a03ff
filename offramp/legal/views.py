from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from offramp.legal import actions, queries
from offramp.legal.models import DEFENDER_NOTE_MAX, STATEMENT_MAX, Decision


@require_GET
@login_required
def legal_list(request):
    rows, total = queries.legal_cases_for(request.actor)
    context = {"rows": rows, "total": total, "side": queries.side_of(request.actor)}
    return render(request, "legal/list.html", context)


def _page(request, case_id: int, *, error: str = "", status: int = 200):
    view = queries.legal_case_get(request.actor, case_id)
    context = {
        "view": view,
        "decisions": Decision.choices,
        "error": error,
        "statement_max": STATEMENT_MAX,
        "defender_note_max": DEFENDER_NOTE_MAX,
    }
    return render(request, "legal/case.html", context, status=status)


@require_GET
@login_required
def legal_case(request, case_id: int):
    return _page(request, case_id)


@require_POST
@login_required
def statement_write(request, case_id: int):
    try:
        actions.legal_statement_write(actor=request.actor, case_id=case_id, text=request.POST.get("text", ""))
    except ValueError as error:
        return _page(request, case_id, error=str(error), status=400)
    messages.success(
        request, "Statement saved: the liaison prosecutor and the public defender read this one."
    )
    return redirect("legal:case", case_id=case_id)


@require_POST
@login_required
def note_add(request, case_id: int):
    try:
        actions.prosecutor_note_add(
            actor=request.actor,
            case_id=case_id,
            note=request.POST.get("note", ""),
            decision=request.POST.get("decision", ""),
        )
    except ValueError as error:
        return _page(request, case_id, error=str(error), status=400)
    messages.success(request, "Note saved.")
    return redirect("legal:case", case_id=case_id)


@require_POST
@login_required
def defender_note_add(request, case_id: int):
    try:
        actions.defender_note_add(actor=request.actor, case_id=case_id, note=request.POST.get("note", ""))
    except ValueError as error:
        return _page(request, case_id, error=str(error), status=400)
    messages.success(request, "Note saved: only the public defender's office sees it.")
    return redirect("legal:case", case_id=case_id)
