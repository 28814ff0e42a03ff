from django.urls import path

from offramp.people import views

app_name = "people"
urlpatterns = [
    path("lookup/", views.lookup, name="lookup"),
]
