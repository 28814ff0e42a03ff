"""Every read of cases, for an acting user, scoped by the permission matrix and audited."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.models import AuditEntry
from offramp.access.policy import Category, Scope
from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.cases import outcomes, questions
from offramp.cases.actions import assessment_values
from offramp.cases.models import (
    OPEN_STATUSES,
    Assessment,
    Case,
    Contact,
    Goal,
    OutcomeSnapshot,
    Plan,
    Status,
    StatusChange,
)
from offramp.programs.models import Membership
from offramp.referrals.models import Referral

CASELOAD_PAGE_SIZE = 50
CASELOAD_SORTS = {
    "name": ("person__legal_last_name", "person__legal_first_name", "id"),
    "status": ("status", "id"),
    "last_contact": ("last_contact_at", "id"),
    "intake_due": ("intake_due", "id"),
}
SORT_LABELS = {"name": "Name", "status": "Status", "last_contact": "Last contact", "intake_due": "Intake due"}
OPEN = "open"  # the caseload's default: everyone not exited
STATUS_FILTERS = [(OPEN, "Open (not exited)"), *Status.choices, ("all", "All")]


def _cases_in_scope(actor: Actor, category: str = Category.CASE_RECORD):
    scope = actor.require(category, Scope.OWN)
    cases = Case.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    return cases


WIND = "wind"
INTAKE_OVERDUE = "intake_overdue"
FLAG_FILTERS = [("", "Any"), (WIND, "In the wind"), (INTAKE_OVERDUE, "Intake overdue")]


@dataclass(frozen=True)
class CaseloadFilter:
    case_manager_id: int | None = None
    status: str = OPEN
    sort: str = "name"
    page: int = 1
    flag: str = ""


def caseload(actor: Actor, query: CaseloadFilter) -> Page:
    """One page of a caseload, each case with its last successful contact and its flags.

    A case manager sees their own; supervisors and project managers pick any case
    manager in the program (or everyone). The query count does not grow with the
    caseload: last contact is a subquery and person comes by join. "In the wind":
    an open case with no successful contact in the program's `in_the_wind_days`.
    """
    now = timezone.now()
    today = timezone.localdate(now, timezone=actor.program.zone) if actor.program else None
    wind_cutoff = (
        now - timezone.timedelta(days=int(actor.program.setting("in_the_wind_days"))) if today else now
    )
    with trusted("cases.caseload"):
        cases = _cases_in_scope(actor)
        if query.case_manager_id is not None:
            if actor.scope(Category.CASE_RECORD) == Scope.OWN and query.case_manager_id != actor.user_id:
                raise Http404("Not found")
            cases = cases.filter(case_manager_id=query.case_manager_id)
        if query.status == OPEN:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif query.status in Status.values:
            cases = cases.filter(status=query.status)
        last_contact = (
            Contact.objects.filter(case=OuterRef("pk"), successful=True).order_by("-at").values("at")[:1]
        )
        cases = cases.annotate(last_contact_at=Subquery(last_contact))
        if query.flag == WIND:
            cases = cases.filter(status__in=OPEN_STATUSES).filter(
                Q(last_contact_at__lt=wind_cutoff)
                | Q(last_contact_at__isnull=True, opened_at__lt=wind_cutoff)
            )
        elif query.flag == INTAKE_OVERDUE:
            cases = cases.filter(status=Status.REFERRED, intake_due__lt=today)
        cases = cases.select_related("person", "case_manager").order_by(
            *CASELOAD_SORTS.get(query.sort, CASELOAD_SORTS["name"])
        )
        page = Paginator(cases, CASELOAD_PAGE_SIZE).get_page(query.page)
        page.object_list = list(page.object_list)
    for case in page.object_list:
        case.days_since_contact = (now - case.last_contact_at).days if case.last_contact_at else None
        seen = case.last_contact_at or case.opened_at
        case.in_the_wind = case.status in OPEN_STATUSES and seen < wind_cutoff
        case.intake_overdue = (
            case.status == Status.REFERRED and case.intake_due is not None and case.intake_due < today
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Case",
        detail={"view": "caseload", "ids": [case.pk for case in page.object_list]},
    )
    return page


def case_get(actor: Actor, case_id: int) -> Case:
    """One case with its person and status history, or 404. Both outcomes are audited."""
    with trusted("cases.case_get"):
        try:
            case = _cases_in_scope(actor).select_related("person", "case_manager", "referral").get(pk=case_id)
        except Case.DoesNotExist:
            audit_record(
                actor=actor, action=Action.READ, object_type="Case", object_id=case_id,
                outcome=AuditEntry.Outcome.NOT_FOUND,
            )  # fmt: skip
            raise Http404("Not found") from None
        case.history = list(case.status_history.select_related("by"))
        contacts = case.contacts.select_related("by").order_by("-at", "-id")
        if not actor.has(Category.NOTES, Scope.OWN):
            contacts = contacts.defer("note")  # never even decrypted for a role that may not read notes
        case.recent_contacts = list(contacts[:RECENT_CONTACTS])
    for contact in case.recent_contacts:
        contact.visible_note = _visible_note(actor, contact)
    audit_record(
        actor=actor, action=Action.READ, object_type="Case", object_id=case.pk,
        detail={"notes_shown": [c.pk for c in case.recent_contacts if c.visible_note]},
    )  # fmt: skip
    return case


RECENT_CONTACTS = 10


def _visible_note(actor: Actor, contact: Contact) -> str:
    """The note if the actor's role may read it: narrative notes, and Part 2 content only with Part 2.

    The case itself is already within the actor's scope, so `own` is enough here.
    """
    if not actor.has(Category.NOTES, Scope.OWN):
        return ""
    if contact.part2 and not actor.has(Category.PART2, Scope.OWN):
        return ""
    return contact.note


def assignable_case_managers(actor: Actor) -> list[tuple]:
    """(user, open cases) for each active case manager: the supervisor's choices when assigning."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    managers = (
        Membership.objects.filter(
            program_id=actor.program_id, role=Role.CASE_MANAGER, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    with trusted("cases.assignable_case_managers"):
        loads = dict(
            Case.objects.filter(program_id=actor.program_id, status__in=OPEN_STATUSES)
            .values_list("case_manager_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    return [(m.user, loads.get(m.user_id, 0)) for m in managers]


@dataclass
class PlanView:
    case: Case
    plan: Plan | None
    goals: list  # goals the actor may read, each with `.step_list`
    withheld: int  # substance-use goals hidden from a role without Part 2


def plan_get(actor: Actor, case_id: int) -> PlanView:
    """A case's Individual Intervention Plan: goals and steps. Substance-use goals need Part 2."""
    with trusted("cases.plan_get"):
        try:
            case = _cases_in_scope(actor).select_related("person").get(pk=case_id)
        except Case.DoesNotExist:
            audit_record(
                actor=actor, action=Action.READ, object_type="Plan", object_id=f"case:{case_id}",
                outcome=AuditEntry.Outcome.NOT_FOUND,
            )  # fmt: skip
            raise Http404("Not found") from None
        plan = Plan.objects.filter(case=case).select_related("agreement_recorded_by").first()
        goals = list(plan.goals.prefetch_related("steps")) if plan else []
    readable = [g for g in goals if g.area != Goal.Area.SUBSTANCE_USE or actor.has(Category.PART2, Scope.OWN)]
    for goal in readable:
        goal.step_list = list(goal.steps.all())
    audit_record(
        actor=actor, action=Action.READ, object_type="Plan", object_id=plan.pk if plan else f"case:{case.pk}",
        detail={"case": case.pk, "goals": [g.pk for g in readable]},
    )  # fmt: skip
    return PlanView(case=case, plan=plan, goals=readable, withheld=len(goals) - len(readable))


@dataclass(frozen=True)
class ProgramOverview:
    by_status: dict
    caseloads: list
    unassigned: int
    referrals_by_door: dict
    overdue_intakes: int


def program_overview(actor: Actor) -> ProgramOverview:
    """Counts for a supervisor's or project manager's overview of the whole program."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    today = timezone.localdate(timezone=actor.program.zone)
    with trusted("cases.program_overview"):
        cases = Case.objects.filter(program_id=actor.program_id)
        by_status = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
        open_cases = Q(status__in=OPEN_STATUSES)
        per_manager = dict(
            cases.filter(open_cases).values_list("case_manager_id").annotate(n=Count("id")).order_by()
        )
        overdue = cases.filter(status=Status.REFERRED, intake_due__lt=today).count()
        doors = dict(
            cases.filter(opened_at__gte=timezone.now() - timezone.timedelta(days=90))
            .values_list("referral__door")
            .annotate(n=Count("id"))
            .order_by()
        )
    managers = (
        Membership.objects.filter(program_id=actor.program_id, role=Role.CASE_MANAGER, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    caseloads = [(m.user, per_manager.get(m.user_id, 0)) for m in managers]
    audit_record(actor=actor, action=Action.LIST, object_type="Case", detail={"view": "program_overview"})
    return ProgramOverview(
        by_status={status: by_status.get(status, 0) for status in Status.values},
        caseloads=caseloads,
        unassigned=per_manager.get(None, 0),
        referrals_by_door=doors,
        overdue_intakes=overdue,
    )


SMALL_CELL = 11  # counts below this are suppressed in anything shown to analysts


@dataclass(frozen=True)
class EnrolmentRow:
    year: int
    door: str
    count: int | None  # None: suppressed small cell


def enrolment_counts(actor: Actor) -> list[EnrolmentRow]:
    """Cases opened per year and door, small cells suppressed: aggregate, de-identified data only."""
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    with trusted("cases.enrolment_counts"):
        opened = Case.objects.filter(program_id=actor.program_id).values_list("opened_at", "referral__door")
        counts: dict[tuple[int, str], int] = {}
        zone = actor.program.zone
        for opened_at, door in opened.iterator(chunk_size=5000):
            key = (opened_at.astimezone(zone).year, door or "")
            counts[key] = counts.get(key, 0) + 1
    audit_record(actor=actor, action=Action.EXPORT, object_type="Case", detail={"view": "enrolment_counts"})
    return [
        EnrolmentRow(year=year, door=door, count=n if n >= SMALL_CELL else None)
        for (year, door), n in sorted(counts.items())
    ]


# ---- intake and assessment ---------------------------------------------------------------------


def _case_or_404(actor: Actor, case_id: int, object_type: str, related=("person",)) -> Case:
    """The case in the actor's scope, or 404 with the refusal audited (inside a trusted block)."""
    try:
        return _cases_in_scope(actor).select_related(*related).get(pk=case_id)
    except Case.DoesNotExist:
        audit_record(
            actor=actor, action=Action.READ, object_type=object_type, object_id=f"case:{case_id}",
            outcome=AuditEntry.Outcome.NOT_FOUND,
        )  # fmt: skip
        raise Http404("Not found") from None


def case_brief(actor: Actor, case_id: int) -> Case:
    """A case's person and status, for a page about one part of it (a new assessment): audited."""
    with trusted("cases.case_brief"):
        case = _case_or_404(actor, case_id, "Case")
    audit_record(
        actor=actor, action=Action.READ, object_type="Case", object_id=case.pk, detail={"brief": True}
    )
    return case


def _assessments(actor: Actor, case: Case):
    rows = Assessment.objects.filter(case=case).select_related("by")
    if not actor.has(Category.PART2, Scope.OWN):
        rows = rows.defer("substance_use")  # never read for a role without Part 2
    return rows


def _answered(assessment: Assessment, part2: bool) -> list:
    """[(domain, [(question label, answer)])] in the order the assessment asked them."""
    values = assessment_values(assessment, part2=part2)
    shown = []
    for domain in questions.domains_for(assessment.kind, assessment.questions, part2=part2):
        given = values.get(domain.key, {})
        shown.append((domain, [(q.label, given.get(q.key, "")) for q in domain.questions]))
    return shown


@dataclass
class AssessmentsView:
    case: Case
    assessments: list  # newest first, each with `.shown`
    comparison: list  # [(domain, [(question, earlier, latest, changed)])] for the latest two in-depth
    compared: tuple  # (earlier, latest) in-depth assessments, or ()
    part2: bool


def assessments_get(actor: Actor, case_id: int) -> AssessmentsView:
    """A case's critical-needs checks and assessments, and what changed between the latest two in-depth."""
    part2 = actor.has(Category.PART2, Scope.OWN)
    with trusted("cases.assessments_get"):
        case = _case_or_404(actor, case_id, "Assessment")
        assessments = list(_assessments(actor, case))
    for assessment in assessments:
        assessment.shown = _answered(assessment, part2)
    full = [a for a in assessments if a.kind == Assessment.Kind.FULL]
    compared = (full[1], full[0]) if len(full) >= 2 else ()
    audit_record(
        actor=actor, action=Action.READ, object_type="Assessment", object_id=f"case:{case.pk}",
        detail={"case": case.pk, "assessments": [a.pk for a in assessments], "part2_shown": part2},
    )  # fmt: skip
    return AssessmentsView(
        case=case, assessments=assessments, comparison=compare(*compared, part2=part2) if compared else [],
        compared=compared, part2=part2,
    )  # fmt: skip


def compare(earlier: Assessment, latest: Assessment, *, part2: bool) -> list:
    """Per domain, each question's answer in both assessments (by question key), changes marked.

    A question either assessment asked appears; the latest's wording wins.
    """
    before, after = assessment_values(earlier, part2=part2), assessment_values(latest, part2=part2)
    old_domains = {d.key: d for d in questions.domains_for(earlier.kind, earlier.questions, part2=part2)}
    rows = []
    for domain in questions.domains_for(latest.kind, latest.questions, part2=part2):
        asked = {q.key: q.label for q in old_domains.get(domain.key, domain).questions}
        asked.update({q.key: q.label for q in domain.questions})
        was, now = before.get(domain.key, {}), after.get(domain.key, {})
        lines = [(label, was.get(key, ""), now.get(key, ""), was.get(key, "") != now.get(key, ""))
                 for key, label in asked.items()]  # fmt: skip
        rows.append((domain, lines, any(line[3] for line in lines)))
    return rows


def assessment_get(actor: Actor, case_id: int, assessment_id: int) -> Assessment:
    """One assessment of a case in scope, with its case and visible answers, or 404."""
    part2 = actor.has(Category.PART2, Scope.OWN)
    with trusted("cases.assessment_get"):
        case = _case_or_404(actor, case_id, "Assessment")
        assessment = _assessments(actor, case).filter(pk=assessment_id).first()
    if assessment is None:
        audit_record(
            actor=actor, action=Action.READ, object_type="Assessment", object_id=assessment_id,
            outcome=AuditEntry.Outcome.NOT_FOUND,
        )  # fmt: skip
        raise Http404("Not found")
    assessment.case = case
    assessment.shown = _answered(assessment, part2)
    audit_record(
        actor=actor, action=Action.READ, object_type="Assessment", object_id=assessment.pk,
        detail={"case": case.pk, "part2_shown": part2},
    )  # fmt: skip
    return assessment


# ---- outcomes and the participant timeline -----------------------------------------------------


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
        case = _case_or_404(actor, case_id, "Timeline")
        snapshots = list(OutcomeSnapshot.objects.filter(case=case).order_by("-as_of", "-id"))
        contacts = list(Contact.objects.filter(case=case).only("kind", "successful", "at", "location"))
        referrals = list(
            Referral.objects.filter(program_id=actor.program_id, person_id=case.person_id).only(
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

    def local(at):
        return timezone.localtime(at, zone)

    events = [_snapshot_event(s, zone) for s in snapshots]
    events += [
        Event(local(c.at).date(), c.at, "contact",
              f"{c.get_kind_display()} {'contact' if c.successful else 'attempt'}", c.location)
        for c in contacts
    ]  # fmt: skip
    events += [
        Event(local(r.referred_at).date(), r.referred_at, "referral", f"Referred: {r.get_door_display()}",
              r.offence_description)
        for r in referrals
    ]  # fmt: skip
    events += [
        Event(local(s.at).date(), s.at, "status", f"Status: {s.get_to_status_display()}", s.reason)
        for s in changes
    ]  # fmt: skip
    events += [
        Event(local(g.updated_at).date(), g.updated_at, "milestone", f"Goal done: {g.get_area_display()}",
              g.in_own_words)
        for g in goals
    ]  # fmt: skip
    # Newest first; at the same moment a referral precedes the status it opened.
    events.sort(key=lambda e: (e.day, e.at, EVENT_ORDER.index(e.kind)), reverse=True)
    today = timezone.localdate(timezone=zone)
    latest = snapshots[0] if snapshots else None
    this_month = any(s.as_of.year == today.year and s.as_of.month == today.month for s in snapshots)
    monthly_due = case.status in OPEN_STATUSES and bool(case.intake_completed_at) and not this_month
    audit_record(
        actor=actor, action=Action.READ, object_type="Timeline", object_id=f"case:{case.pk}",
        detail={"case": case.pk, "events": len(events)},
    )  # fmt: skip
    return TimelineView(case=case, events=events, latest=latest, monthly_due=monthly_due)
