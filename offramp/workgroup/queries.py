"""Every read of the workgroup, scoped per attendee by the permission matrix and audited.

What an attendee sees of an agenda item follows the matrix, case by case:

- whoever's case_record scope covers the case (the case team) sees the item in full:
  the participant, the discussion, decisions and every action item;
- anyone else who may see participant status sees the status, why the case is on the
  agenda and the action items asked of them; the name only where their identity scope
  covers it, and a new arrest only where their legal scope does;
- roles outside the case team (officers, prosecutors) see an item only where the
  participant's consent to that attendee's own class of recipient (the police for an
  officer, the liaison prosecutor for a prosecutor) covers participation status, and the
  name only where it covers identity; every such view is a disclosure and goes to the
  ledger. No consent reads as no item.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils import timezone

from offramp.access.actions import disclosures_record
from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.consent import consent_permits, consents_covering
from offramp.access.models import Consent
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.accounts.models import User
from offramp.cases.models import OPEN_STATUSES, Case, Status
from offramp.cases.wording import status_labels
from offramp.legal.models import ProsecutorNote
from offramp.programs.models import Program
from offramp.programs.roles import Role
from offramp.referrals.models import Door, Referral
from offramp.workgroup.models import ActionItem, AgendaItem, Decision, Flag, Meeting

AGENDA_LIMIT = 40  # cases per flag on one agenda, most urgent first; the rest are counted
FIRST_LOOKBACK = dt.timedelta(days=14)  # "new since the last meeting" when there was none
RECENTLY_DONE = dt.timedelta(days=30)  # done action items stay on "mine" this long
MEETINGS_SHOWN = 60


def _covers(actor: Actor, category: str, case: Case) -> bool:
    scope = actor.scope(category)
    if scope == Scope.OWN:
        return case.case_manager_id is not None and case.case_manager_id == actor.user_id
    return scope >= Scope.LIMITED


@dataclass(frozen=True)
class Participant:
    """What one attendee may see of the participant behind an agenda item."""

    full: bool  # the case team's view
    name: str | None  # None: the attendee's identity scope does not reach this person
    status_label: str
    case_id: int | None = None  # a link to the case, for the case team only
    case_manager: str | None = None

    @property
    def label(self) -> str:
        return self.name or "A participant"


class Seer:
    """Decides, for one attendee, what of each case they may see. Build it inside trusted()."""

    def __init__(self, actor: Actor, cases):
        self.actor = actor
        self.team = actor.scope(Category.CASE_RECORD) >= Scope.OWN
        outside = {c.person_id for c in cases if not _covers(actor, Category.CASE_RECORD, c)}
        self.status_consents, self.identity_consents = {}, {}
        if outside and not self.team:
            for recipient_class in recipient_classes(actor):
                for found, category in (
                    (self.status_consents, Category.STATUS),
                    (self.identity_consents, Category.IDENTITY),
                ):
                    covering = consents_covering(
                        program_id=actor.program_id,
                        person_ids=outside,
                        recipient_class=recipient_class,
                        category=category,
                    )
                    for person_id, consent in covering.items():
                        found.setdefault(person_id, consent)
        self.disclosed: dict[int, set] = {}  # person id -> categories shown under consent
        self.status_labels = status_labels(actor.program)  # the program's own wording

    def participant(self, case: Case, flag: str) -> Participant | None:
        actor = self.actor
        if _covers(actor, Category.CASE_RECORD, case):
            return Participant(
                full=True,
                name=case.person.display_name,
                status_label=self.status_labels[case.status],
                case_id=case.pk,
                case_manager=str(case.case_manager) if case.case_manager else None,
            )
        if not _covers(actor, Category.STATUS, case):
            return None
        if flag == Flag.NEW_ARREST and not _covers(actor, Category.LEGAL, case):
            return None
        if not self.team and case.person_id not in self.status_consents:
            return None
        named = _covers(actor, Category.IDENTITY, case) and (
            self.team or case.person_id in self.identity_consents
        )
        if not self.team:
            shown = self.disclosed.setdefault(case.person_id, {Category.STATUS})
            if named:
                shown.add(Category.IDENTITY)
            if flag == Flag.NEW_ARREST:
                shown.add(Category.LEGAL)
        return Participant(
            full=False,
            name=case.person.display_name if named else None,
            status_label=self.status_labels[case.status],
        )

    def record_disclosures(self, description: str) -> None:
        """Write what a consent-gated attendee was shown to the disclosure ledger, one entry per person."""
        disclosures_record(
            actor=self.actor,
            shown=[
                (self.status_consents[person_id], sorted(categories))
                for person_id, categories in self.disclosed.items()
            ],
            description=description,
        )


def recipient_classes(actor: Actor) -> list[str]:
    """The classes of recipient an attendee outside the case team receives disclosures as."""
    return [RECIPIENT_FOR_ROLE[role] for role in sorted(actor.roles) if role in RECIPIENT_FOR_ROLE]


RECIPIENT_FOR_ROLE = {Role.PROSECUTOR: Consent.Recipient.PROSECUTOR, Role.OFFICER: Consent.Recipient.POLICE}


def attends(actor: Actor) -> bool:
    """Roles that may see participant status attend the workgroup."""
    return actor.has(Category.STATUS, Scope.LIMITED)


def flagged_cases(actor: Actor, *, since: dt.datetime, now: dt.datetime) -> dict[str, tuple[list[int], int]]:
    """flag -> (up to AGENDA_LIMIT case ids, most urgent first; how many cases carry the flag).

    For the action that builds an agenda, which audits the ids it puts on it. Program-wide:
    only a role with case_record across the program builds an agenda.
    """
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    today = timezone.localdate(now, timezone=actor.program.zone)
    wind_cutoff = now - dt.timedelta(days=int(actor.program.setting("in_the_wind_days")))
    with trusted("workgroup.flagged_cases"):
        open_cases = Case.objects.filter(program_id=actor.program_id, status__in=OPEN_STATUSES)
        wind = open_cases.filter(
            Q(last_contact_at__lt=wind_cutoff) | Q(last_contact_at__isnull=True, opened_at__lt=wind_cutoff)
        )
        found = {
            Flag.NEW_REFERRAL: open_cases.filter(opened_at__gte=since).order_by("opened_at", "id"),
            Flag.INTAKE_OVERDUE: open_cases.filter(status=Status.REFERRED, intake_due__lt=today).order_by(
                "intake_due", "id"
            ),
            Flag.IN_THE_WIND: wind.order_by(F("last_contact_at").asc(nulls_first=True), "opened_at", "id"),
        }
        flagged = {
            flag: (list(cases.values_list("pk", flat=True)[:AGENDA_LIMIT]), cases.count())
            for flag, cases in found.items()
        }
        flagged[Flag.NEW_ARREST] = _new_arrests(actor, open_cases, since)
    return {flag: flagged[flag] for flag in Flag.values}


def _new_arrests(actor: Actor, open_cases, since: dt.datetime) -> tuple[list[int], int]:
    """Open cases whose person was arrested (an arrest-door referral) since `since`, after the case opened.

    From the referrals side: the arrests since the last meeting are few and `referred_at` is indexed,
    where a per-case subquery over every referral grows with the program.
    """
    arrests = Referral.objects.filter(program_id=actor.program_id, door=Door.ARREST, referred_at__gte=since)
    by_person: dict[int, list] = {}
    for pk, person_id, at in arrests.values_list("pk", "person_id", "referred_at"):
        by_person.setdefault(person_id, []).append((pk, at))
    latest = []
    candidates = open_cases.filter(person_id__in=arrests.values("person_id"))
    for case_id, person_id, opened_at, referral_id in candidates.values_list(
        "pk", "person_id", "opened_at", "referral_id"
    ):
        # Not the arrest that opened the case: only one after it.
        later = [at for pk, at in by_person.get(person_id, []) if at > opened_at and pk != referral_id]
        if later:
            latest.append((max(later), case_id))
    latest.sort(key=lambda pair: (-pair[0].timestamp(), pair[1]))
    return [case_id for _at, case_id in latest[:AGENDA_LIMIT]], len(latest)


@dataclass(frozen=True)
class MeetingRow:
    pk: int
    held_on: dt.date
    created_by: str


def meetings_list(actor: Actor) -> list[MeetingRow]:
    """The program's meetings, newest first. Dates only: the agenda is where participants appear."""
    actor.require(Category.STATUS, Scope.LIMITED)
    with trusted("workgroup.meetings_list"):
        meetings = list(
            Meeting.objects.filter(program_id=actor.program_id).select_related("created_by")[:MEETINGS_SHOWN]
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Meeting",
        detail={"view": "workgroup_meetings", "ids": [m.pk for m in meetings]},
    )
    return [MeetingRow(m.pk, m.held_on, str(m.created_by) if m.created_by else "") for m in meetings]


@dataclass
class ActionView:
    pk: int
    what: str
    owner: str
    mine: bool
    due_on: dt.date
    done_at: dt.datetime | None
    agreed_on: dt.date
    participant: Participant | None  # None: concerns no participant, or one the viewer may not see
    concerns_participant: bool
    flag_label: str = ""
    overdue: bool = False  # open past its due date, in the program's time zone


@dataclass
class ItemView:
    pk: int
    flag: str
    flag_label: str
    participant: Participant
    discussion: str | None = None  # case team only
    decisions: list = field(default_factory=list)  # case team only
    actions: list = field(default_factory=list)
    legal_decision: str = ""  # the liaison prosecutor's latest, where the attendee's legal view covers it


@dataclass
class AgendaView:
    meeting: Meeting
    groups: list  # (flag, label, [ItemView]) in the order the agenda takes them
    general: list  # action items of this meeting that concern no participant
    carried: list  # open action items of earlier meetings
    left_off: dict  # flag label -> cases not listed (case team only)
    team: bool
    may_screen: bool = False  # may open the eligible-but-booked list (program configuration)


def _action_view(actor, action, seer) -> ActionView | None:
    """An action item as the viewer may see it: their own always, others' only with the item in full."""
    mine = action.owner_id == actor.user_id
    participant = None
    if action.item_id is not None:
        participant = seer.participant(action.item.case, action.item.flag)
        if not mine and (participant is None or not participant.full):
            return None
    return ActionView(
        pk=action.pk,
        what=action.what,
        owner=str(action.owner),
        mine=mine,
        due_on=action.due_on,
        done_at=action.done_at,
        agreed_on=action.meeting.held_on,
        participant=participant,
        concerns_participant=action.item_id is not None,
        flag_label=action.item.get_flag_display() if action.item_id and participant else "",
        overdue=action.done_at is None and action.due_on < timezone.localdate(timezone=actor.program.zone),
    )


def _legal_decisions(actor: Actor, seer: Seer, cases) -> dict[int, str]:
    """case id -> the liaison prosecutor's latest decision, for the cases whose legal coordination the
    attendee may see: the case team's and project manager's by their legal scope, the prosecutor's
    where the participant's consent to the prosecutor covers legal coordination as well as status."""
    now = timezone.now()
    if actor.scope(Category.LEGAL) == Scope.LIMITED:
        visible = [
            c.pk
            for c in cases
            if c.person_id in seer.status_consents
            and consent_permits(
                seer.status_consents[c.person_id],
                recipient_class=Consent.Recipient.PROSECUTOR,
                category=Category.LEGAL,
                at=now,
            )
        ]
    else:
        visible = [
            c.pk
            for c in cases
            if actor.scope(Category.LEGAL) > Scope.LIMITED and _covers(actor, Category.LEGAL, c)
        ]
    latest: dict[int, str] = {}
    # Every agenda case's notes are read and only the visible kept, so the query count stays the same.
    shown = set(visible)
    notes = (
        ProsecutorNote.objects.filter(case_id__in=[c.pk for c in cases])
        .exclude(decision="")
        .order_by("case_id", "-at", "-id")
    )
    for note in notes:
        if note.case_id not in shown:
            continue
        day = timezone.localdate(note.at, timezone=actor.program.zone)
        latest.setdefault(note.case_id, f"{note.get_decision_display()} ({day:%b} {day.day}, {day.year})")
    return latest


def agenda_get(actor: Actor, meeting_id: int) -> AgendaView:
    """One meeting's agenda as this attendee may see it, with action items carried from earlier meetings."""
    actor.require(Category.STATUS, Scope.LIMITED)
    team = actor.scope(Category.CASE_RECORD) >= Scope.OWN
    with trusted("workgroup.agenda_get"):
        meeting = Meeting.objects.filter(program_id=actor.program_id, pk=meeting_id).first()
        if meeting is None:
            raise audited_not_found(actor, "Meeting", meeting_id)
        items = AgendaItem.objects.filter(meeting=meeting).select_related(
            "case__person", "case__case_manager"
        )
        if not team:
            items = items.defer("discussion")  # never even decrypted for a role outside the case team
        items = list(items)
        decisions = {}
        if team:
            for decision in Decision.objects.filter(item__meeting=meeting).select_related("recorded_by"):
                decisions.setdefault(decision.item_id, []).append(decision)
        # This meeting's action items, and those of earlier meetings still open on its day.
        actions = ActionItem.objects.filter(program_id=actor.program_id).filter(
            Q(meeting=meeting)
            | Q(meeting__held_on__lt=meeting.held_on)
            & (Q(done_at__isnull=True) | Q(done_at__date__gte=meeting.held_on))
        )
        if not team:
            actions = actions.filter(Q(owner_id=actor.user_id) | Q(item__isnull=True))
        actions = list(
            actions.select_related("owner", "meeting", "item__case__person", "item__case__case_manager")
            .defer("item__discussion")
            .order_by("due_on", "id")
        )
        seer = Seer(actor, [i.case for i in items] + [a.item.case for a in actions if a.item_id])
        legal = _legal_decisions(actor, seer, [i.case for i in items])
        views = {}
        for item in items:
            participant = seer.participant(item.case, item.flag)
            if participant is None:
                continue
            if item.case_id in legal and not seer.team:  # shown outside the case team: disclosed
                seer.disclosed.setdefault(item.case.person_id, {Category.STATUS}).add(Category.LEGAL)
            views[item.pk] = ItemView(
                pk=item.pk,
                flag=item.flag,
                flag_label=item.get_flag_display(),
                participant=participant,
                discussion=item.discussion if participant.full else None,
                decisions=decisions.get(item.pk, []) if participant.full else [],
                legal_decision=legal.get(item.case_id, ""),
            )
        general, carried = [], []
        for action in actions:
            view = _action_view(actor, action, seer)
            if view is None:
                continue
            if action.meeting_id != meeting.pk:
                carried.append(view)
            elif action.item_id is None:
                general.append(view)
            elif action.item_id in views:
                views[action.item_id].actions.append(view)
        seer.record_disclosures(f"Workgroup agenda of {meeting.held_on:%Y-%m-%d}: participation status")
    groups = [(flag, label, [v for v in views.values() if v.flag == flag]) for flag, label in Flag.choices]
    left_off = {Flag(f).label: n for f, n in meeting.left_off.items() if n} if team else {}
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Meeting",
        object_id=meeting.pk,
        detail={
            "items": sorted(views),
            "full": sorted(k for k, v in views.items() if v.participant.full),
            "action_items": sorted(a.pk for a in general + carried)
            + sorted(a.pk for v in views.values() for a in v.actions),
        },
    )
    may_screen = actor.has(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    return AgendaView(meeting, [g for g in groups if g[2]], general, carried, left_off, team, may_screen)


def my_action_items(actor: Actor) -> list[ActionView]:
    """The actor's own action items: open ones, then those done in the last 30 days."""
    actor.require(Category.STATUS, Scope.LIMITED)
    with trusted("workgroup.my_action_items"):
        actions = list(
            ActionItem.objects.filter(program_id=actor.program_id, owner_id=actor.user_id)
            .filter(Q(done_at__isnull=True) | Q(done_at__gte=timezone.now() - RECENTLY_DONE))
            .select_related("owner", "meeting", "item__case__person", "item__case__case_manager")
            .defer("item__discussion")
            .order_by("done_at", "due_on", "id")
        )
        seer = Seer(actor, [a.item.case for a in actions if a.item_id])
        views = [_action_view(actor, action, seer) for action in actions]
        seer.record_disclosures("Workgroup action items: participation status")
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="ActionItem",
        detail={"view": "workgroup_mine", "ids": [a.pk for a in actions]},
    )
    return views


def actor_for(user: User, program: Program) -> Actor:
    """The actor a staff member would be in this program: to ask what they may see before asking them."""
    return Actor.member_of(user, program)
