from django.urls import path

from offramp.cases import views

app_name = "cases"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/contacts", views.contact_add, name="contact_add"),
    # One URL and view per change of status; any other change under status/ is a 400, not a 404.
    path("cases/<int:case_id>/status/intake", views.intake_complete_view, name="intake_complete"),
    path("cases/<int:case_id>/status/inactivate", views.inactivate, name="inactivate"),
    path("cases/<int:case_id>/status/reengage", views.reengage, name="reengage"),
    path("cases/<int:case_id>/status/exit", views.exit_case, name="exit"),
    path("cases/<int:case_id>/status/<str:change>", views.status_unknown, name="status_unknown"),
    path("cases/<int:case_id>/assign", views.assign, name="assign"),
    path("cases/<int:case_id>/plan/", views.plan, name="plan"),
    # One URL and view per change of the plan; any other change under plan/ is a 400.
    path("cases/<int:case_id>/plan/goals/new", views.plan_goal_add, name="plan_goal_add"),
    path("cases/<int:case_id>/plan/goals/edit", views.plan_goal_edit, name="plan_goal_edit"),
    path("cases/<int:case_id>/plan/steps/new", views.plan_step_add, name="plan_step_add"),
    path("cases/<int:case_id>/plan/agree", views.plan_agree, name="plan_agree"),
    path("cases/<int:case_id>/plan/<str:change>", views.plan_unknown, name="plan_unknown"),
    path("cases/<int:case_id>/assessments/", views.assessments, name="assessments"),
    path("cases/<int:case_id>/assessments/new", views.assessment_new, name="assessment_new"),
    path(
        "cases/<int:case_id>/assessments/<int:assessment_id>/", views.assessment_edit, name="assessment_edit"
    ),
    path("cases/<int:case_id>/timeline/", views.timeline, name="timeline"),
    path("cases/<int:case_id>/outcomes", views.snapshot_add, name="snapshot_add"),
    path("program/", views.overview, name="overview"),
    path("program/on-call/", views.oncall, name="oncall"),
    path("program/on-call/<int:shift_id>/remove", views.oncall_remove, name="oncall_remove"),
]
