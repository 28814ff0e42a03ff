from django.urls import path

from offramp.workgroup import views

app_name = "workgroup"
urlpatterns = [
    path("workgroup/", views.meetings, name="meetings"),
    path("workgroup/new", views.meeting_new, name="meeting_new"),
    path("workgroup/<int:meeting_id>/", views.agenda, name="agenda"),
    path(
        "workgroup/<int:meeting_id>/items/<int:item_id>/discussion",
        views.item_discussion,
        name="item_discussion",
    ),
    path(
        "workgroup/<int:meeting_id>/items/<int:item_id>/decision", views.item_decision, name="item_decision"
    ),
    path("workgroup/<int:meeting_id>/actions/new", views.action_item_new, name="action_item_new"),
    path("workgroup/actions/", views.mine, name="mine"),
    path("workgroup/actions/<int:action_id>/done", views.action_done, name="action_done"),
]
