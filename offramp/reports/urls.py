from django.urls import path

from offramp.reports import views

app_name = "reports"
urlpatterns = [
    path("program/dashboard/", views.dashboard, name="dashboard"),
]
