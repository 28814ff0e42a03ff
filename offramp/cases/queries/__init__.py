"""Every read of cases, for an acting user, scoped by the permission matrix and audited.

One module per sub-domain; every name is importable from here.
"""

from offramp.cases.queries.assessment import (
    AssessmentsView,
    assessment_get,
    assessment_values,
    assessments_get,
    compare,
)
from offramp.cases.queries.case import (
    RECENT_CONTACTS,
    PlanView,
    case_brief,
    case_get,
    plan_get,
)
from offramp.cases.queries.caseload import (
    CASELOAD_PAGE_SIZE,
    CASELOAD_SORTS,
    FLAG_FILTERS,
    INTAKE_OVERDUE,
    OPEN,
    SORT_LABELS,
    STATUS_FILTERS,
    WIND,
    CaseloadFilter,
    caseload,
    caseload_filter,
)
from offramp.cases.queries.enrolment import EnrolmentRow, enrolment_counts
from offramp.cases.queries.managers import (
    ASSIGN_CHOICES,
    MANAGERS_PER_PAGE,
    AssignChoices,
    ProgramOverview,
    assignable_case_managers,
    program_overview,
)
from offramp.cases.queries.scope import (
    CaseAccess,
    case_for,
    case_or_404,
    cases_in_scope,
    identity_visible,
    part2_visible,
    require_assigner,
    require_case_team,
)
from offramp.cases.queries.timeline import (
    EVENT_ORDER,
    Event,
    TimelineView,
    timeline,
)

__all__ = [
    "cases_in_scope",
    "identity_visible",
    "part2_visible",
    "require_assigner",
    "require_case_team",
    "CaseAccess",
    "case_for",
    "case_or_404",
    "CASELOAD_PAGE_SIZE",
    "CASELOAD_SORTS",
    "SORT_LABELS",
    "OPEN",
    "STATUS_FILTERS",
    "WIND",
    "INTAKE_OVERDUE",
    "FLAG_FILTERS",
    "CaseloadFilter",
    "caseload",
    "caseload_filter",
    "ASSIGN_CHOICES",
    "MANAGERS_PER_PAGE",
    "AssignChoices",
    "assignable_case_managers",
    "ProgramOverview",
    "program_overview",
    "EnrolmentRow",
    "enrolment_counts",
    "case_get",
    "RECENT_CONTACTS",
    "PlanView",
    "plan_get",
    "case_brief",
    "assessment_values",
    "AssessmentsView",
    "assessments_get",
    "compare",
    "assessment_get",
    "Event",
    "EVENT_ORDER",
    "TimelineView",
    "timeline",
]
