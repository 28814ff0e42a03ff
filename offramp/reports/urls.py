from django.urls import path

from offramp.reports import views

app_name = "reports"
urlpatterns = [
    path("program/dashboard/", views.dashboard, name="dashboard"),
    path("program/funder/", views.funder, name="funder"),
    path("program/funder/measures.csv", views.funder_csv, name="funder_csv"),
    path("program/council/", views.council_page, name="council"),
    path("program/council/<int:report_id>/", views.council_report, name="council_report"),
    path("program/council/<int:report_id>/report.json", views.council_json, name="council_json"),
]
