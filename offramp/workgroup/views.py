from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
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
    """The agenda; the meeting's runner records on one item at a time (`?record=<item>`, or the item
    whose form was refused), so a full agenda is not a few hundred forms."""
    actor = request.actor
    view = queries.agenda_get(actor, meeting_id)
    runner = actions.may_run(actor)
    bound = bound or {}
    action_form = owners = None
    if runner:
        items = [item for _flag, _label, group in view.groups for item in group]
        record = int_param(request.GET.get("record"), default=None)
        for item in items:
            discussion, decision = bound.get(("discuss", item.pk)), bound.get(("decide", item.pk))
            if item.pk != record and not (discussion or decision):
                item.discussion_form = item.decision_form = None
                continue
            item.discussion_form = discussion or forms.DiscussionForm(
                initial={"discussion": item.discussion}, prefix=f"d{item.pk}"
            )
            item.decision_form = decision or forms.DecisionForm(prefix=f"c{item.pk}")
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


def _agenda_write(request, meeting_id: int, key, form, write, done: str, bound=None):
    """One change on the agenda from its own small form: `write(cleaned_data)` saves it and names the
    agenda's anchor to go back to; on a refusal, the agenda again with the form's errors."""
    if not actions.may_run(request.actor):
        raise Http404("Not found")
    if form.is_valid():
        try:
            anchor = write(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(reverse("workgroup:agenda", args=[meeting_id]) + anchor)
    return _agenda_page(request, meeting_id, status=400, bound={key: form, **(bound or {})})


@require_POST
@login_required
def item_discussion(request, meeting_id: int, item_id: int):
    """Record what the workgroup said about one agenda item."""

    def write(data):
        actions.item_discuss(actor=request.actor, item_id=item_id, discussion=data["discussion"])
        return f"#item-{item_id}"

    form = forms.DiscussionForm(request.POST, prefix=f"d{item_id}")
    return _agenda_write(request, meeting_id, ("discuss", item_id), form, write, "Discussion saved.")


@require_POST
@login_required
def item_decision(request, meeting_id: int, item_id: int):
    """Record a decision on one agenda item."""

    def write(data):
        actions.decision_add(actor=request.actor, item_id=item_id, text=data["text"])
        return f"#item-{item_id}"

    form = forms.DecisionForm(request.POST, prefix=f"c{item_id}")
    return _agenda_write(request, meeting_id, ("decide", item_id), form, write, "Decision recorded.")


@require_POST
@login_required
def action_item_new(request, meeting_id: int):
    """Add an action item, for one agenda item or the meeting as a whole."""

    def write(data):
        actions.action_item_add(
            actor=request.actor,
            meeting_id=meeting_id,
            item_id=data["item"],
            owner_id=data["owner"],
            what=data["what"],
            due_on=data["due_on"],
        )
        return f"#item-{data['item']}" if data["item"] else "#general"

    if not actions.may_run(request.actor):
        raise Http404("Not found")  # before the attendee list is read
    owners = attendees(request.actor, include=int_param(request.POST.get("action-owner"), default=None))
    form = forms.ActionItemForm(request.POST, attendees=owners.people)
    bound = {"owners": owners}
    return _agenda_write(request, meeting_id, ("action", None), form, write, "Action item added.", bound)


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
