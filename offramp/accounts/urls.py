from django.urls import path

from offramp.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:user_id>/roles/", views.user_roles, name="user_roles"),
    path("users/<int:user_id>/status", views.user_status, name="user_status"),
    path("users/<int:user_id>/disable", views.user_disable, name="user_disable"),
]
