from django.urls import path

from offramp.workgroup import views

app_name = "workgroup"
urlpatterns = [
    path("workgroup/", views.meetings, name="meetings"),
    path("workgroup/new", views.meeting_new, name="meeting_new"),
    path("workgroup/<int:meeting_id>/", views.agenda, name="agenda"),
    path("workgroup/<int:meeting_id>/change", views.agenda_change, name="agenda_change"),
    path("workgroup/actions/", views.mine, name="mine"),
    path("workgroup/actions/<int:action_id>/done", views.action_done, name="action_done"),
]
