from django.urls import path

from offramp.directory import views

app_name = "directory"
urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/manage", views.manage, name="manage"),
    path("directory/export", views.export, name="export"),
]
