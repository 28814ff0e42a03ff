"""Every read of cases, for an acting user, scoped by the permission matrix and audited."""

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
from offramp.cases.models import Case, Contact, Status
from offramp.programs.models import Membership

CASELOAD_PAGE_SIZE = 50
CASELOAD_SORTS = {
    "name": ("person__legal_last_name", "person__legal_first_name", "id"),
    "status": ("status", "id"),
    "last_contact": ("last_contact_at", "id"),
    "intake_due": ("intake_due", "id"),
}
SORT_LABELS = {"name": "Name", "status": "Status", "last_contact": "Last contact", "intake_due": "Intake due"}
OPEN = "open"  # the caseload's default: everyone not exited
OPEN_STATUSES = (Status.REFERRED, Status.ACTIVE, Status.INACTIVE)
STATUS_FILTERS = [(OPEN, "Open (not exited)"), *Status.choices, ("all", "All")]


def _cases_in_scope(actor: Actor, category: str = Category.CASE_RECORD):
    scope = actor.require(category, Scope.OWN)
    cases = Case.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    return cases


@dataclass(frozen=True)
class CaseloadFilter:
    case_manager_id: int | None = None
    status: str = OPEN
    sort: str = "name"
    page: int = 1


def caseload(actor: Actor, query: CaseloadFilter) -> Page:
    """One page of a caseload, each case with its last successful contact.

    A case manager sees their own; supervisors and project managers pick any case
    manager in the program (or everyone). The query count does not grow with the
    caseload: last contact is a subquery and person comes by join.
    """
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
        cases = (
            cases.select_related("person", "case_manager")
            .annotate(last_contact_at=Subquery(last_contact))
            .order_by(*CASELOAD_SORTS.get(query.sort, CASELOAD_SORTS["name"]))
        )
        page = Paginator(cases, CASELOAD_PAGE_SIZE).get_page(query.page)
        page.object_list = list(page.object_list)
    now = timezone.now()
    for case in page.object_list:
        case.days_since_contact = (now - case.last_contact_at).days if case.last_contact_at else None
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
        case.recent_contacts = list(case.contacts.select_related("by")[:10])
    audit_record(actor=actor, action=Action.READ, object_type="Case", object_id=case.pk)
    return case


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
