from django.urls import path

from offramp.cases import views

app_name = "cases"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/contacts", views.contact_add, name="contact_add"),
    path("cases/<int:case_id>/status", views.status_change, name="status_change"),
    path("cases/<int:case_id>/assign", views.assign, name="assign"),
    path("cases/<int:case_id>/plan/", views.plan, name="plan"),
    path("cases/<int:case_id>/plan/change", views.plan_change, name="plan_change"),
    path("cases/<int:case_id>/assessments/", views.assessments, name="assessments"),
    path("cases/<int:case_id>/assessments/new", views.assessment_new, name="assessment_new"),
    path(
        "cases/<int:case_id>/assessments/<int:assessment_id>/", views.assessment_edit, name="assessment_edit"
    ),
    path("cases/<int:case_id>/timeline/", views.timeline, name="timeline"),
    path("cases/<int:case_id>/outcomes", views.snapshot_add, name="snapshot_add"),
    path("program/", views.overview, name="overview"),
]
