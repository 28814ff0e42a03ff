from django.urls import path

from offramp.planning import views

app_name = "planning"
urlpatterns = [
    path("planning/", views.plan, name="plan"),
]
