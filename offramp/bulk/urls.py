from django.urls import path

from offramp.bulk import views

app_name = "bulk"
urlpatterns = [path("program/import/", views.program_import_page, name="import")]
