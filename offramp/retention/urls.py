from django.urls import path

from offramp.retention import views

app_name = "retention"
urlpatterns = [
    path("program/legal-holds/", views.holds, name="holds"),
    path("program/legal-holds/<int:hold_id>/release", views.hold_release, name="hold_release"),
]
