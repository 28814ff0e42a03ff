"""Outcome snapshots and the participant's timeline."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases import outcomes
from offramp.cases.models import OPEN_STATUSES, Case, Contact, Goal, OutcomeSnapshot, StatusChange
from offramp.cases.queries.scope import case_or_404
from offramp.cases.wording import status_labels


@dataclass(frozen=True)
class Event:
    day: object  # the local date it happened
    at: object  # a datetime to order events of one day (midnight for date-only events)
    kind: str  # snapshot, contact, referral, status, milestone
    title: str
    detail: str = ""


EVENT_ORDER = ("referral", "status", "contact", "snapshot", "milestone")


@dataclass
class TimelineView:
    case: Case
    events: list  # newest first
    latest: OutcomeSnapshot | None
    monthly_due: bool  # open case, intake done, and no snapshot yet this month


def _snapshot_event(s: OutcomeSnapshot, zone) -> Event:
    income = ", ".join(outcomes.IncomeSource(v).label for v in s.income_sources) or "no income or benefits"
    detail = (
        f"{s.get_living_situation_display()} ({outcomes.housing_group(s.living_situation)}) · "
        f"{s.get_employment_display()} · {income} · {s.get_health_insurance_display()} · "
        f"{'has a photo ID' if s.id_obtained else 'no photo ID'}"
    )
    at = dt.datetime.combine(s.as_of, dt.time.min, tzinfo=zone)
    return Event(s.as_of, at, "snapshot", f"Outcomes: {s.get_reason_display().lower()}", detail)


def timeline(actor: Actor, case_id: int) -> TimelineView:
    """Snapshots, contacts, referrals, status changes and goals done, in date order.

    Six queries whatever the case's history: one per kind of event. Contact notes are not
    part of the timeline; substance-use goals appear only for roles with Part 2.
    """
    part2 = actor.has(Category.PART2, Scope.OWN)
    zone = actor.program.zone
    with trusted("cases.timeline"):
        case = case_or_404(actor, case_id, "Timeline")
        snapshots = list(OutcomeSnapshot.objects.filter(case=case).order_by("-as_of", "-id"))
        contacts = list(Contact.objects.filter(case=case).only("kind", "successful", "at", "location"))
        referrals = list(
            # Through the person (selected with the case), so cases need not import the referrals app.
            case.person.referrals.filter(program_id=actor.program_id).only(
                "door", "referred_at", "offence_description"
            )
        )
        changes = list(StatusChange.objects.filter(case=case))
        goals = Goal.objects.filter(plan__case=case, status=Goal.Progress.DONE).only(
            "area", "in_own_words", "updated_at"
        )
        if not part2:
            goals = goals.exclude(area=Goal.Area.SUBSTANCE_USE)
        goals = list(goals)

    labels = status_labels(actor.program)

    def local(at):
        return timezone.localtime(at, zone)

    events = [_snapshot_event(s, zone) for s in snapshots]
    events += [
        Event(
            local(c.at).date(),
            c.at,
            "contact",
            f"{c.get_kind_display()} {'contact' if c.successful else 'attempt'}",
            c.location,
        )
        for c in contacts
    ]
    events += [
        Event(
            local(r.referred_at).date(),
            r.referred_at,
            "referral",
            f"Referred: {r.get_door_display()}",
            r.offence_description,
        )
        for r in referrals
    ]
    events += [
        Event(local(s.at).date(), s.at, "status", f"Status: {labels[s.to_status]}", s.reason) for s in changes
    ]
    events += [
        Event(
            local(g.updated_at).date(),
            g.updated_at,
            "milestone",
            f"Goal done: {g.get_area_display()}",
            g.in_own_words,
        )
        for g in goals
    ]
    # Newest first; at the same moment a referral precedes the status it opened.
    events.sort(key=lambda e: (e.day, e.at, EVENT_ORDER.index(e.kind)), reverse=True)
    today = timezone.localdate(timezone=zone)
    latest = snapshots[0] if snapshots else None
    this_month = any(s.as_of.year == today.year and s.as_of.month == today.month for s in snapshots)
    monthly_due = case.status in OPEN_STATUSES and bool(case.intake_completed_at) and not this_month
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Timeline",
        object_id=f"case:{case.pk}",
        detail={"case": case.pk, "events": len(events)},
    )
    return TimelineView(case=case, events=events, latest=latest, monthly_due=monthly_due)
