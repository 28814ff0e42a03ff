from django.urls import path

from offramp.cases import views

app_name = "cases"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("program/", views.overview, name="overview"),
]
