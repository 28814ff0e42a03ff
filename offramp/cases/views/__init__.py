"""The case pages, one module per part of the case; every view is importable from here."""

from offramp.cases.views.assessment import (
    assessment_edit,
    assessment_new,
    assessments,
)
from offramp.cases.views.case import (
    assign,
    case_detail,
    caseload,
    contact_add,
    exit_case,
    inactivate,
    intake_complete_view,
    overview,
    reengage,
    status_unknown,
)
from offramp.cases.views.oncall import (
    oncall,
    oncall_remove,
)
from offramp.cases.views.plan import (
    plan,
    plan_agree,
    plan_goal_add,
    plan_goal_edit,
    plan_step_add,
    plan_unknown,
)
from offramp.cases.views.timeline import (
    snapshot_add,
    timeline,
)

__all__ = [
    "assessment_edit",
    "assessment_new",
    "assessments",
    "assign",
    "case_detail",
    "caseload",
    "contact_add",
    "exit_case",
    "inactivate",
    "intake_complete_view",
    "overview",
    "reengage",
    "status_unknown",
    "oncall",
    "oncall_remove",
    "plan",
    "plan_agree",
    "plan_goal_add",
    "plan_goal_edit",
    "plan_step_add",
    "plan_unknown",
    "snapshot_add",
    "timeline",
]
