from django.urls import path

from offramp.reports import views

app_name = "reports"
urlpatterns = [
    path("program/dashboard/", views.dashboard, name="dashboard"),
    path("program/funder/", views.funder, name="funder"),
    path("program/funder/measures.csv", views.funder_csv, name="funder_csv"),
]
