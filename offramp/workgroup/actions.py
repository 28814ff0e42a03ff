"""Changes to the workgroup: project managers run the meeting; an owner marks their action item done.

Each function is one transaction with one audit entry. A role that may not make a change gets
404, as for a page it may not open.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.rows import program_row
from offramp.access.scope import Actor, action
from offramp.cases.models import Case
from offramp.programs.roles import Role
from offramp.referrals.continuous_queries import eligible_booked_since
from offramp.workgroup import queries
from offramp.workgroup.attendees import attendee
from offramp.workgroup.models import ActionItem, AgendaItem, Decision, Flag, Meeting

ERR_MEETING_DATE = "Choose a meeting date within a year of today."
ERR_MEETING_EXISTS = "There is already a workgroup meeting on that day."
ERR_DISCUSSION_TOO_LONG = "Keep the discussion under 4,000 characters."
ERR_DECISION_NEEDED = "Write what was decided."
ERR_DECISION_TOO_LONG = "Keep a decision under 500 characters."
ERR_WHAT_NEEDED = "Say what is to be done."
ERR_WHAT_TOO_LONG = "Keep an action item under 300 characters."
ERR_DUE_BEFORE_MEETING = "The due date cannot be before the meeting."
ERR_OWNER = "Choose someone who attends the workgroup."
ERR_OWNER_CANNOT_SEE = (
    "{owner} may not see this participant (their role, or no consent to share with them): "
    "ask someone who may, or make it an action item without a participant."
)
ERR_ALREADY_DONE = "This action item is already done."
MAX_DISCUSSION = 4000
MEETING_HORIZON = dt.timedelta(days=366)

# The project manager convenes the workgroup and keeps its record.
RUNNERS = frozenset({Role.PROJECT_MANAGER})


def may_run(actor: Actor) -> bool:
    return bool(actor.roles & RUNNERS) and actor.has(Category.CASE_RECORD, Scope.PROGRAM)


def _require_runner(actor: Actor) -> None:
    if not may_run(actor):
        raise Http404("Not found")


@action("workgroup.meeting_create")
def meeting_create(*, actor: Actor, held_on: dt.date, now: dt.datetime | None = None) -> Meeting:
    """A meeting and its agenda: every flag raised since the previous meeting, most urgent first."""
    _require_runner(actor)
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=actor.program.zone)
    if held_on is None or abs(held_on - today) > MEETING_HORIZON:
        raise ValidationError(ERR_MEETING_DATE)
    meetings = Meeting.objects.select_for_update().filter(program_id=actor.program_id)
    if meetings.filter(held_on=held_on).exists():
        raise ValidationError(ERR_MEETING_EXISTS)
    previous = meetings.order_by("-created_at", "-id").first()
    since = previous.created_at if previous else now - queries.FIRST_LOOKBACK
    flagged = queries.flagged_cases(actor, since=since, now=now)
    booked = eligible_booked_since(actor, since=since, now=now)
    meeting = Meeting.objects.create(
        program_id=actor.program_id,
        held_on=held_on,
        created_by=_user(actor),
        created_at=now,
        flags_since=since,
        left_off={flag: total - len(ids) for flag, (ids, total) in flagged.items()},
        eligible_booked=booked,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(program_id=actor.program_id, meeting=meeting, case_id=case_id, flag=flag, position=n)
        for n, (flag, case_id) in enumerate(
            (flag, case_id) for flag in Flag.values for case_id in flagged[flag][0]
        )
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Meeting",
        object_id=meeting.pk,
        detail={
            "held_on": held_on.isoformat(),
            "since": since.isoformat(),
            "cases": {flag: ids for flag, (ids, _total) in flagged.items()},
            "eligible_booked": booked,
        },
    )
    return meeting


def _item(actor: Actor, item_id: int) -> AgendaItem:
    return program_row(actor, AgendaItem, item_id)


@action("workgroup.item_discuss")
def item_discuss(*, actor: Actor, item_id: int, discussion: str) -> AgendaItem:
    """Record what the case team said about an agenda item (seen by the case team only)."""
    _require_runner(actor)
    discussion = (discussion or "").strip()
    if len(discussion) > MAX_DISCUSSION:
        raise ValidationError(ERR_DISCUSSION_TOO_LONG)
    item = _item(actor, item_id)
    item.discussion = discussion
    item.save(update_fields=["discussion"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="AgendaItem",
        object_id=item.pk,
        detail={"meeting": item.meeting_id, "case": item.case_id, "change": "discussion"},
    )
    return item


@action("workgroup.decision_add")
def decision_add(*, actor: Actor, item_id: int, text: str) -> Decision:
    """Record a decision on an agenda item (seen by the case team only)."""
    _require_runner(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError(ERR_DECISION_NEEDED)
    if len(text) > 500:
        raise ValidationError(ERR_DECISION_TOO_LONG)
    item = _item(actor, item_id)
    decision = Decision.objects.create(
        program_id=actor.program_id,
        item=item,
        text=text,
        recorded_at=timezone.now(),
        recorded_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Decision",
        object_id=decision.pk,
        detail={"meeting": item.meeting_id, "item": item.pk, "case": item.case_id},
    )
    return decision


@action("workgroup.action_item_add")
def action_item_add(
    *, actor: Actor, meeting_id: int, owner_id: int, what: str, due_on: dt.date, item_id: int | None = None
) -> ActionItem:
    """Ask one attendee to do something by a date, about one agenda item or about none.

    The owner must be someone who attends and, for an item, someone who may see its
    participant: an action item never becomes a way round the permission matrix or consent.
    """
    _require_runner(actor)
    what = (what or "").strip()
    if not what:
        raise ValidationError(ERR_WHAT_NEEDED)
    if len(what) > 300:
        raise ValidationError(ERR_WHAT_TOO_LONG)
    owner = attendee(actor, owner_id)
    if owner is None:
        raise ValidationError(ERR_OWNER)
    meeting = program_row(actor, Meeting, meeting_id, lock=False)
    if due_on is None or due_on < meeting.held_on:
        raise ValidationError(ERR_DUE_BEFORE_MEETING)
    item = None
    if item_id is not None:
        item = program_row(actor, AgendaItem.objects.filter(meeting=meeting), item_id, lock=False)
        case = Case.objects.select_related("person").get(pk=item.case_id)
        owner_actor = queries.actor_for(owner, actor.program)
        if queries.Seer(owner_actor, [case]).participant(case, item.flag) is None:
            raise ValidationError(ERR_OWNER_CANNOT_SEE.format(owner=owner))
    action = ActionItem.objects.create(
        program_id=actor.program_id,
        meeting=meeting,
        item=item,
        owner=owner,
        what=what,
        due_on=due_on,
        created_at=timezone.now(),
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="ActionItem",
        object_id=action.pk,
        detail={
            "meeting": meeting.pk,
            "item": item_id,
            "owner": owner.pk,
            "case": item.case_id if item else None,
        },
    )
    return action


@action("workgroup.action_item_done")
def action_item_done(*, actor: Actor, action_id: int) -> ActionItem:
    """Mark an action item done: its owner, or whoever runs the meeting."""
    actor.require(Category.STATUS, Scope.LIMITED)
    mine = ActionItem.objects.all() if may_run(actor) else ActionItem.objects.filter(owner_id=actor.user_id)
    action = program_row(actor, mine, action_id)
    if action.done_at is not None:
        raise ValidationError(ERR_ALREADY_DONE)
    action.done_at, action.done_by = timezone.now(), _user(actor)
    action.save(update_fields=["done_at", "done_by"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="ActionItem",
        object_id=action.pk,
        detail={"change": "done", "meeting": action.meeting_id, "item": action.item_id},
    )
    return action


def _user(actor: Actor):
    return actor.user if actor.user_id else None
