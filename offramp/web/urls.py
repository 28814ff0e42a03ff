from django.urls import path

from offramp.web import views

app_name = "web"
urlpatterns = [
    path("evaluation/", views.evaluation, name="evaluation"),
    path("today/", views.day, name="day"),
]
