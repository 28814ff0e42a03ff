from django.urls import path

from offramp.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/status", views.user_status, name="user_status"),
]
