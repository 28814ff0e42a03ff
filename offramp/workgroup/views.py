from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from offramp.params import int_param
from offramp.workgroup import actions, forms, queries
from offramp.workgroup.attendees import attendees


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
    action_form = owners = None
    if runner:
        items = [item for _flag, _label, group in view.groups for item in group]
        for item in items:
            item.discussion_form = bound.get(("discuss", item.pk)) or forms.DiscussionForm(
                initial={"discussion": item.discussion}, prefix=f"d{item.pk}"
            )
            item.decision_form = bound.get(("decide", item.pk)) or forms.DecisionForm(prefix=f"c{item.pk}")
        owners = bound.get("owners") or attendees(actor, search=request.GET.get("owner_q", ""))
        action_form = bound.get(("action", None)) or forms.ActionItemForm(
            attendees=owners.people, initial={"due_on": view.meeting.held_on}
        )
        action_form.show_items(items)
    context = {
        "view": view,
        "meeting": view.meeting,
        "runner": runner,
        "action_form": action_form,
        "owners": owners,
    }
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
    if change == "discuss" and item_id is not None:
        form = forms.DiscussionForm(request.POST, prefix=f"d{item_id}")
    elif change == "decide" and item_id is not None:
        form = forms.DecisionForm(request.POST, prefix=f"c{item_id}")
    elif change == "action":
        owners = attendees(actor, include=int_param(request.POST.get("action-owner"), default=None))
        form = forms.ActionItemForm(request.POST, attendees=owners.people)
        item_id = None
    else:
        return HttpResponseBadRequest("Unknown change")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if change == "discuss":
                actions.item_discuss(actor=actor, item_id=item_id, discussion=data["discussion"])
            elif change == "decide":
                actions.decision_add(actor=actor, item_id=item_id, text=data["text"])
            else:
                item_id = data["item"]
                actions.action_item_add(
                    actor=actor,
                    meeting_id=meeting_id,
                    item_id=item_id,
                    owner_id=data["owner"],
                    what=data["what"],
                    due_on=data["due_on"],
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                {
                    "discuss": "Discussion saved.",
                    "decide": "Decision recorded.",
                    "action": "Action item added.",
                }[change],
            )
            anchor = f"#item-{item_id}" if item_id else "#general"
            return redirect(reverse("workgroup:agenda", args=[meeting_id]) + anchor)
    key = (change, None if change == "action" else item_id)
    bound = {key: form, "owners": owners} if change == "action" else {key: form}
    return _agenda_page(request, meeting_id, status=400, bound=bound)


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
