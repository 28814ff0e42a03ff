"""The program's case managers and their caseloads, a page or a search at a time: the overview's list
and the assign form's choices. Counts are grouped in SQL; no read lists every case manager."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case, Status
from offramp.programs.models import Membership
from offramp.programs.queries import natural_key
from offramp.programs.roles import Role

MANAGERS_PER_PAGE = 50
ASSIGN_CHOICES = 25  # the assign form offers at most this many case managers: search for others
SEARCH_MAX = 100
MANAGER_SORTS = {
    "name": ("user__last_name", "user__first_name", "user__username", "id"),
    "load": ("-open_cases", "user__last_name", "user__first_name", "user__username", "id"),
}


def _case_managers(actor: Actor, search: str = "") -> QuerySet:
    """The actor's program's active case managers (memberships), `search` matching every word in the
    name, username or email."""
    managers = Membership.objects.filter(
        program_id=actor.program_id, role=Role.CASE_MANAGER, is_active=True, user__is_active=True
    )
    for word in search.strip()[:SEARCH_MAX].split():
        managers = managers.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__icontains=word)
            | Q(user__email__icontains=word)
        )
    return managers.select_related("user")


def _with_open_cases(actor: Actor, managers: QuerySet) -> QuerySet:
    """Each membership with its user's open cases in the program, counted in the same query.
    Callers are inside trusted()."""
    open_cases = (
        Case.objects.filter(
            program_id=actor.program_id, case_manager_id=OuterRef("user_id"), status__in=OPEN_STATUSES
        )
        .order_by()
        .values("case_manager_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return managers.annotate(open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), Value(0)))


@dataclass(frozen=True)
class ProgramOverview:
    by_status: dict
    managers: Page  # memberships with `open_cases`, one page
    manager_count: int
    over_hard_limit: int  # case managers above the program's hard limit
    at_soft_limit: int  # case managers at or over the soft limit
    unassigned: int
    referrals_by_door: dict
    overdue_intakes: int
    search: str
    sort: str


def program_overview(
    actor: Actor, *, search: str = "", sort: str = "name", page: int | str = 1
) -> ProgramOverview:
    """Counts for a supervisor's or project manager's overview of the whole program, and one page of
    its case managers (searched by name, sorted by name or by open cases) with their open cases.
    The same few queries whatever the size of the program."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    program = actor.program
    today = timezone.localdate(timezone=program.zone)
    soft, hard = int(program.setting("caseload_soft_limit")), int(program.setting("caseload_hard_limit"))
    sort = sort if sort in MANAGER_SORTS else "name"
    with trusted("cases.program_overview"):
        cases = Case.objects.filter(program_id=actor.program_id)
        by_status = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
        totals = cases.aggregate(
            unassigned=Count("id", filter=Q(status__in=OPEN_STATUSES, case_manager__isnull=True)),
            overdue=Count("id", filter=Q(status=Status.REFERRED, intake_due__lt=today)),
        )
        doors = dict(
            cases.filter(opened_at__gte=timezone.now() - timezone.timedelta(days=90))
            .values_list("referral__door")
            .annotate(n=Count("id"))
            .order_by()
        )
        every = _with_open_cases(actor, _case_managers(actor))
        limits = every.aggregate(
            n=Count("id"),
            over=Count("id", filter=Q(open_cases__gt=hard)),
            soft=Count("id", filter=Q(open_cases__gte=soft)),
        )
        found = _with_open_cases(actor, _case_managers(actor, search)).order_by(*MANAGER_SORTS[sort])
        managers = Paginator(found, MANAGERS_PER_PAGE).get_page(page)
        managers.object_list = list(managers.object_list)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Case",
        detail={"view": "program_overview", "page": managers.number, "search": bool(search.strip())},
    )
    return ProgramOverview(
        by_status={status: by_status.get(status, 0) for status in Status.values},
        managers=managers,
        manager_count=limits["n"],
        over_hard_limit=limits["over"],
        at_soft_limit=limits["soft"],
        unassigned=totals["unassigned"],
        referrals_by_door=doors,
        overdue_intakes=totals["overdue"],
        search=search.strip()[:SEARCH_MAX],
        sort=sort,
    )


@dataclass(frozen=True)
class AssignChoices:
    choices: list  # (user, open cases or None when not counted)
    more: bool  # more case managers match than are offered: search to narrow
    search: str


def assignable_case_managers(actor: Actor, *, search: str = "", include: int | None = None) -> AssignChoices:
    """At most ASSIGN_CHOICES active case managers of the program, by name: the supervisor's choices when
    assigning. `include` (a posted choice) is offered too when it is one. Open cases are counted only
    when assigning (a search or a posted choice), in the same query as the choices; the case page
    itself counts nothing."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    search = search.strip()[:SEARCH_MAX]
    counted = bool(search) or include is not None
    with trusted("cases.assignable_case_managers"):
        managers = _case_managers(actor, search).order_by(*MANAGER_SORTS["name"])
        found = list((_with_open_cases(actor, managers) if counted else managers)[: ASSIGN_CHOICES + 1])
        more = len(found) > ASSIGN_CHOICES
        # The page is chosen in SQL by name as text; within it, names read as people read them
        # ("Case Manager 2" before "Case Manager 10").
        found = sorted(
            found[:ASSIGN_CHOICES], key=lambda m: natural_key(f"{m.user.last_name} {m.user.first_name}")
        )
        if include is not None and all(m.user_id != include for m in found):
            found = [*_with_open_cases(actor, _case_managers(actor).filter(user_id=include)), *found]
    return AssignChoices(
        choices=[(m.user, getattr(m, "open_cases", None)) for m in found], more=more, search=search
    )
