from django.urls import path

from offramp.analysis import views

app_name = "analysis"
urlpatterns = [
    path("evaluation/studies/new", views.study_new, name="study_new"),
    path("evaluation/studies/<int:study_id>/run", views.run_start, name="run_start"),
    path("evaluation/runs/<int:run_id>/", views.run_report, name="run_report"),
    path("evaluation/runs/<int:run_id>/report.json", views.run_json, name="run_json"),
    path("evaluation/import", views.records_import, name="import"),
    path("evaluation/links", views.links_review, name="links"),
]
