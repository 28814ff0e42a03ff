"""Caseloads and the program's counts: the caseload page, assignable managers, the overview."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Status
from offramp.cases.queries.scope import cases_in_scope
from offramp.paging import KeysetPage, Sort, keyset_page

CASELOAD_PAGE_SIZE = 50
# Each sort ends with the id, so a case has one place and keyset paging neither repeats nor skips.
# NULLs are placed explicitly, the same on SQLite and PostgreSQL: never-contacted people first
# (the longest without contact), cases with no intake due date last.
CASELOAD_SORTS = {
    "name": (Sort("person__legal_last_name"), Sort("person__legal_first_name"), Sort("id")),
    "status": (Sort("status"), Sort("id")),
    "last_contact": (Sort("last_contact_at", nulls_first=True), Sort("id")),
    "intake_due": (Sort("intake_due", nulls_first=False), Sort("id")),
}
SORT_LABELS = {"name": "Name", "status": "Status", "last_contact": "Last contact", "intake_due": "Intake due"}
OPEN = "open"  # the caseload's default: everyone not exited
STATUS_FILTERS = [(OPEN, "Open (not exited)"), *Status.choices, ("all", "All")]


WIND = "wind"
INTAKE_OVERDUE = "intake_overdue"
FLAG_FILTERS = [("", "Any"), (WIND, "In the wind"), (INTAKE_OVERDUE, "Intake overdue")]


@dataclass(frozen=True)
class CaseloadFilter:
    case_manager_id: int | None = None
    status: str = OPEN
    sort: str = "name"
    cursor: str = ""  # from the previous page's links (offramp/paging.py); empty: the first page
    flag: str = ""


def caseload_filter(
    actor: Actor, *, manager: int | None, status: str, sort: str, cursor: str, flag: str
) -> CaseloadFilter:
    """The caseload asked for: anyone's for who sees the whole program, else the actor's own."""
    whole_program = actor.scope(Category.CASE_RECORD) == Scope.PROGRAM
    return CaseloadFilter(
        case_manager_id=manager if whole_program else actor.user_id,
        status=status,
        sort=sort,
        cursor=cursor,
        flag=flag,
    )


def caseload(actor: Actor, query: CaseloadFilter) -> KeysetPage:
    """One page of a caseload, each case with its last successful contact and its flags.

    A case manager sees their own; supervisors and project managers pick any case
    manager in the program (or everyone). The query count does not grow with the
    caseload: last contact is stored on the case and person comes by join. "In the wind":
    an open case with no successful contact in the program's `in_the_wind_days`. Paged by
    keyset (no OFFSET); the count stops at offramp.paging.COUNT_CAP.
    """
    now = timezone.now()
    today = timezone.localdate(now, timezone=actor.program.zone) if actor.program else None
    wind_cutoff = (
        now - timezone.timedelta(days=int(actor.program.setting("in_the_wind_days"))) if today else now
    )
    with trusted("cases.caseload"):
        cases = cases_in_scope(actor)
        if query.case_manager_id is not None:
            if actor.scope(Category.CASE_RECORD) == Scope.OWN and query.case_manager_id != actor.user_id:
                raise Http404("Not found")
            cases = cases.filter(case_manager_id=query.case_manager_id)
        if query.status == OPEN:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif query.status in Status.values:
            cases = cases.filter(status=query.status)
        if query.flag == WIND:
            cases = cases.filter(status__in=OPEN_STATUSES).filter(
                Q(last_contact_at__lt=wind_cutoff)
                | Q(last_contact_at__isnull=True, opened_at__lt=wind_cutoff)
            )
        elif query.flag == INTAKE_OVERDUE:
            cases = cases.filter(status=Status.REFERRED, intake_due__lt=today)
        page = keyset_page(
            cases.select_related("person", "case_manager"),
            CASELOAD_SORTS.get(query.sort, CASELOAD_SORTS["name"]),
            cursor=query.cursor,
            size=CASELOAD_PAGE_SIZE,
            salt="caseload",
        )
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
