from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from offramp.web.forms import int_param
from offramp.workgroup import actions, forms, queries


def _today(actor):
    return timezone.localdate(timezone=actor.program.zone)


def _meetings_page(request, form=None, status=200):
    actor = request.actor
    rows = queries.meetings_list(actor)
    runner = actions.may_run(actor)
    context = {
        "meetings": rows,
        "form": (form or forms.MeetingForm(today=_today(actor))) if runner else None,
    }
    return render(request, "workgroup/meetings.html", context, status=status)


@require_GET
@login_required
def meetings(request):
    return _meetings_page(request)


@require_POST
@login_required
def meeting_new(request):
    if not actions.may_run(request.actor):
        raise Http404("Not found")
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = actions.meeting_create(actor=request.actor, held_on=form.cleaned_data["held_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Meeting created, with its agenda.")
            return redirect("workgroup:agenda", meeting_id=meeting.pk)
    return _meetings_page(request, form=form, status=400)


def _agenda_page(request, meeting_id, status=200, bound=None):
    actor = request.actor
    view = queries.agenda_get(actor, meeting_id)
    runner = actions.may_run(actor)
    bound = bound or {}
    if runner:
        attendees = queries.attendees(actor)
        for group in view.groups:
            for item in group[2]:
                item.discussion_form = bound.get(("discuss", item.pk)) or forms.DiscussionForm(
                    initial={"discussion": item.discussion}, prefix=f"d{item.pk}"
                )
                item.decision_form = bound.get(("decide", item.pk)) or forms.DecisionForm(
                    prefix=f"c{item.pk}"
                )
                item.action_form = bound.get(("action", item.pk)) or forms.ActionItemForm(
                    attendees=attendees, prefix=f"a{item.pk}", initial={"due_on": view.meeting.held_on}
                )
        general_form = bound.get(("action", None)) or forms.ActionItemForm(
            attendees=attendees, prefix="a", initial={"due_on": view.meeting.held_on}
        )
    else:
        general_form = None
    context = {"view": view, "meeting": view.meeting, "runner": runner, "general_form": general_form}
    return render(request, "workgroup/agenda.html", context, status=status)


@require_GET
@login_required
def agenda(request, meeting_id: int):
    return _agenda_page(request, meeting_id)


@require_POST
@login_required
def agenda_change(request, meeting_id: int):
    """Record a discussion, a decision or an action item: one small form each on the agenda."""
    actor = request.actor
    if not actions.may_run(actor):
        raise Http404("Not found")
    change = request.POST.get("change")
    item_id = int_param(request.POST.get("item"), default=None)
    if change not in ("discuss", "decide", "action") or (change != "action" and item_id is None):
        return HttpResponseBadRequest("Unknown change")
    prefix = {"discuss": "d", "decide": "c", "action": "a"}[change] + (str(item_id) if item_id else "")
    if change == "discuss":
        form = forms.DiscussionForm(request.POST, prefix=prefix)
    elif change == "decide":
        form = forms.DecisionForm(request.POST, prefix=prefix)
    else:
        form = forms.ActionItemForm(request.POST, prefix=prefix, attendees=queries.attendees(actor))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if change == "discuss":
                actions.item_discuss(actor=actor, item_id=item_id, discussion=data["discussion"])
            elif change == "decide":
                actions.decision_add(actor=actor, item_id=item_id, text=data["text"])
            else:
                actions.action_item_add(
                    actor=actor, meeting_id=meeting_id, item_id=item_id, owner_id=data["owner"],
                    what=data["what"], due_on=data["due_on"],
                )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, {"discuss": "Discussion saved.", "decide": "Decision recorded.",
                                       "action": "Action item added."}[change])  # fmt: skip
            anchor = f"#item-{item_id}" if item_id else "#general"
            return redirect(reverse("workgroup:agenda", args=[meeting_id]) + anchor)
    return _agenda_page(request, meeting_id, status=400, bound={(change, item_id): form})


@require_GET
@login_required
def mine(request):
    return render(request, "workgroup/mine.html", {"actions": queries.my_action_items(request.actor)})


@require_POST
@login_required
def action_done(request, action_id: int):
    try:
        action = actions.action_item_done(actor=request.actor, action_id=action_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Marked done.")
        if request.POST.get("back") == "agenda":
            return redirect(
                "workgroup:agenda",
                meeting_id=int_param(request.POST.get("meeting"), default=action.meeting_id),
            )
    return redirect("workgroup:mine")
