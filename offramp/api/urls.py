"""The administrator's integrations page (the API itself is offramp/api/service.py, at /api/v1/)."""

from django.urls import path

from offramp.api import views

app_name = "api_admin"
urlpatterns = [
    path("integrations/", views.integrations, name="integrations"),
    path("integrations/<int:integration_id>/revoke", views.integration_revoke, name="revoke"),
]
