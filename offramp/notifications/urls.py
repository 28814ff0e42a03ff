from django.urls import path

from offramp.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:notification_id>/read", views.mark_read, name="read"),
]
