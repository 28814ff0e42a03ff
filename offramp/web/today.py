"""The day page's reads: what a case manager (or, for the team, a supervisor) should do today.

Each list is one query whatever the caseload's size, scoped like the caseload (own cases, or the
program's) and audited as one LIST entry. Every row carries the case it belongs to, one tap away.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope, case_team_scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case, OutcomeSnapshot, Status
from offramp.notifications.models import Notification
from offramp.referrals.models import Referral
from offramp.referrals.queries import HANDOFF_TARGET
from offramp.transitions import lifecycle
from offramp.transitions.models import ServiceReferral
from offramp.transitions.queries import critical_needs_for
from offramp.workgroup.models import ActionItem

SECTION_LIMIT = 50  # rows shown per section, most urgent first; the rest are counted
HANDOFF_WINDOW = dt.timedelta(days=2)  # an unanswered hand-off older than this is no longer "waiting"


@dataclass
class Row:
    case_id: int | None
    name: str
    what: str
    case_manager: str = ""
    url: str = ""  # where the tap goes when not the case itself (the hand-off's arrival page)
    urgent: bool = False
    minutes_left: int | None = None
    due_at: dt.datetime | None = None
    days_left: int | None = None

    @property
    def minutes_late(self) -> int:
        return max(0, -(self.minutes_left or 0))


@dataclass
class DayView:
    team: bool
    handoffs: list[Row] = field(default_factory=list)
    critical: list[Row] = field(default_factory=list)
    assigned: list[Row] = field(default_factory=list)
    intakes: list[Row] = field(default_factory=list)
    follow_ups: list[Row] = field(default_factory=list)
    wind: list[Row] = field(default_factory=list)
    snapshots: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)
    more: dict = field(default_factory=dict)  # section -> rows not shown


def _scope(actor: Actor) -> Scope:
    scope = actor.scope(Category.CASE_RECORD) if actor.program else Scope.NONE
    if scope < Scope.OWN:
        raise Http404("Not found")
    return scope


def _who(user) -> str:
    return str(user) if user is not None else "Unassigned"


def _cut(view: DayView, name: str, rows: list) -> list:
    if len(rows) > SECTION_LIMIT:
        view.more[name] = len(rows) - SECTION_LIMIT
    return rows[:SECTION_LIMIT]


def day_for(actor: Actor, *, now: dt.datetime | None = None) -> DayView:
    """Today's work: a case manager's own, or the team's for a supervisor (program scope)."""
    scope = _scope(actor)
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=actor.program.zone)
    team = scope == Scope.PROGRAM
    view = DayView(team=team)
    with trusted("web.day_for"):
        cases = Case.objects.filter(program_id=actor.program_id)
        referrals = Referral.objects.filter(program_id=actor.program_id)
        if not team:
            cases = cases.filter(case_manager_id=actor.user_id)
            referrals = referrals.filter(handoff_to_id=actor.user_id)
        _handoffs(view, referrals, now)
        _critical(view, actor, cases, today)
        _assigned(view, actor, cases)
        _intakes(view, cases, today)
        _follow_ups(view, actor, cases, today, now)
        _wind(view, actor, cases, now)
        _snapshots(view, cases, today)
        _actions(view, actor, cases, team, today)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Case",
        detail={
            "view": "day",
            "team": team,
            "ids": sorted(
                {r.case_id for section in _sections(view) for r in section if r.case_id is not None}
            ),
        },
    )
    return view


def _sections(view: DayView):
    return (
        view.handoffs,
        view.critical,
        view.assigned,
        view.intakes,
        view.follow_ups,
        view.wind,
        view.snapshots,
        view.actions,
    )


def _handoffs(view: DayView, referrals, now: dt.datetime) -> None:
    waiting = (
        referrals.filter(
            handoff_requested_at__gte=now - HANDOFF_WINDOW,
            handoff_arrived_at__isnull=True,
        )
        .annotate(case_id=Subquery(Case.objects.filter(referral=OuterRef("pk")).values("pk")[:1]))
        .select_related("person", "handoff_to")
        .order_by("handoff_requested_at", "pk")
    )
    rows = []
    for referral in waiting:
        due = referral.handoff_requested_at + HANDOFF_TARGET
        left = int((due - now).total_seconds() // 60)
        rows.append(
            Row(
                case_id=referral.case_id,
                name=referral.person.display_name,
                what=f"{referral.get_door_display()}"
                + (f" at {referral.location}" if referral.location else ""),
                case_manager=_who(referral.handoff_to),
                url=reverse("referrals:arrival", args=[referral.pk]),
                urgent=left < 0,
                minutes_left=left,
                due_at=due,
            )
        )
    view.handoffs = _cut(view, "handoffs", rows)


def _critical(view: DayView, actor: Actor, cases, today: dt.date) -> None:
    """Needs that cannot wait from the latest critical-needs check, each with the directory's services."""
    rows = []
    may_refer = case_team_scope(actor) >= Scope.OWN  # the case team refers; a project manager reads
    for found in critical_needs_for(actor, cases, today):
        search = reverse("transitions:referral_new", args=[found.case.pk]) if may_refer else ""
        if found.need is not None and may_refer:
            search += f"?need={found.need[0]}"
        what = f"{found.label} (critical-needs check {found.assessed_on:%b %-d})"
        if found.need is not None:
            what += f": services for {found.need[1].lower()}"
        rows.append(
            Row(
                case_id=found.case.pk,
                name=found.case.person.display_name,
                what=what,
                case_manager=_who(found.case.case_manager),
                url=search,
                urgent=True,
            )
        )
    view.critical = _cut(view, "critical", rows)


def _assigned(view: DayView, actor: Actor, cases) -> None:
    """Cases newly put on the actor's caseload by a supervisor, until the notice is read."""
    if view.team:
        return
    notices = list(
        Notification.objects.filter(
            program_id=actor.program_id,
            recipient_id=actor.user_id,
            kind=Notification.Kind.CASE_ASSIGNED,
            read_at__isnull=True,
        ).order_by("-created_at")[: SECTION_LIMIT + 1]
    )
    view.assigned = [Row(case_id=None, name=n.title, what=n.body, url=n.url) for n in notices]


def _intakes(view: DayView, cases, today: dt.date) -> None:
    due = (
        cases.filter(status=Status.REFERRED, intake_due__isnull=False)
        .select_related("person", "case_manager")
        .order_by("intake_due", "pk")
    )
    rows = []
    for case in due[: SECTION_LIMIT + 1]:
        days = (case.intake_due - today).days
        what = f"{days} days left" if days > 1 else ("1 day left" if days == 1 else "due today")
        if days < 0:
            what = f"overdue by {-days} days" if days < -1 else "overdue by 1 day"
        rows.append(
            Row(
                case_id=case.pk,
                name=case.person.display_name,
                what=f"Intake {what} (by {case.intake_due:%b %-d})",
                case_manager=_who(case.case_manager),
                urgent=days <= 3,
                days_left=days,
            )
        )
    view.intakes = _cut(view, "intakes", rows)


def _follow_ups(view: DayView, actor: Actor, cases, today: dt.date, now: dt.datetime) -> None:
    stuck_days = int(actor.program.setting("service_referral_stuck_days"))
    stuck_before = now - dt.timedelta(days=stuck_days)
    waiting = (
        ServiceReferral.objects.filter(program_id=actor.program_id, case__in=cases)
        .exclude(status__in=lifecycle.FINISHED)
        .filter(
            Q(follow_up_on__lte=today)
            | Q(status__in=lifecycle.PENDING, created_at__lt=stuck_before, resolved_at__isnull=True)
        )
        .select_related("case__person", "case__case_manager")
        .order_by("follow_up_on", "created_at", "pk")
    )
    rows = []
    for referral in waiting[: SECTION_LIMIT + 1]:
        pending = lifecycle.days_pending(referral.created_at, referral.resolved_at, now)
        due = referral.follow_up_on is not None and referral.follow_up_on <= today
        what = (
            f"Follow up on the referral to {referral.provider_name} (due {referral.follow_up_on:%b %-d})"
            if due
            else f"Referral to {referral.provider_name} waiting {pending} days"
        )
        rows.append(
            Row(
                case_id=referral.case_id,
                name=referral.case.person.display_name,
                what=what,
                case_manager=_who(referral.case.case_manager),
                url=reverse("transitions:referrals", args=[referral.case_id]),
                urgent=not due,
            )
        )
    view.follow_ups = _cut(view, "follow_ups", rows)


def _wind(view: DayView, actor: Actor, cases, now: dt.datetime) -> None:
    cutoff = now - dt.timedelta(days=int(actor.program.setting("in_the_wind_days")))
    quiet = (
        cases.filter(status__in=OPEN_STATUSES)
        .filter(Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, opened_at__lt=cutoff))
        .select_related("person", "case_manager")
        .order_by(F("last_contact_at").asc(nulls_first=True), "pk")
    )
    rows = []
    for case in quiet[: SECTION_LIMIT + 1]:
        seen = case.last_contact_at
        rows.append(
            Row(
                case_id=case.pk,
                name=case.person.display_name,
                what=f"No contact for {(now - seen).days} days" if seen else "No contact since referral",
                case_manager=_who(case.case_manager),
            )
        )
    view.wind = _cut(view, "wind", rows)


def _snapshots(view: DayView, cases, today: dt.date) -> None:
    """Participants in the program (intake done, not exited) with no outcome snapshot this month."""
    month_start = today.replace(day=1)
    this_month = OutcomeSnapshot.objects.filter(case=OuterRef("pk"), as_of__gte=month_start)
    due = (
        cases.filter(status__in=(Status.ACTIVE, Status.REENGAGED, Status.INACTIVE))
        .filter(~Exists(this_month))
        .select_related("person", "case_manager")
        .order_by("person__legal_last_name", "person__legal_first_name", "pk")
    )
    rows = [
        Row(
            case_id=case.pk,
            name=case.person.display_name,
            what=f"Monthly snapshot for {today:%B} not recorded",
            case_manager=_who(case.case_manager),
            url=reverse("cases:timeline", args=[case.pk]),
        )
        for case in due[: SECTION_LIMIT + 1]
    ]
    view.snapshots = _cut(view, "snapshots", rows)


def _actions(view: DayView, actor: Actor, cases, team: bool, today: dt.date) -> None:
    """Open workgroup action items: the actor's own, and (for the team) every one on the team's cases."""
    mine = Q(owner_id=actor.user_id)
    items = (
        ActionItem.objects.filter(program_id=actor.program_id, done_at__isnull=True)
        .filter(mine | Q(item__case__in=cases) if team else mine)
        .select_related("owner", "item__case__person")
        .order_by("due_on", "pk")
    )
    rows = []
    for item in items[: SECTION_LIMIT + 1]:
        case = item.item.case if item.item_id else None
        visible = case is not None and (team or case.case_manager_id == actor.user_id)
        rows.append(
            Row(
                case_id=case.pk if visible else None,
                name=case.person.display_name if visible else "Workgroup",
                what=f"{item.what} (due {item.due_on:%b %-d})",
                case_manager=_who(item.owner),
                url="" if visible else reverse("workgroup:mine"),
                urgent=item.due_on < today,
            )
        )
    view.actions = _cut(view, "actions", rows)
