from django.urls import path

from offramp.sites import views

app_name = "sites"
urlpatterns = [
    path("program/settings", views.program_settings, name="settings"),
    path("program/questions", views.program_questions, name="questions"),
    path("program/switch", views.program_switch, name="switch"),
    path("host/", views.sites, name="host"),
    path("host/programs/new", views.program_new, name="program_new"),
]
