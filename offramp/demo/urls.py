from django.urls import path

from offramp.demo import views

app_name = "demo"
urlpatterns = [
    path("demo/seed", views.seed, name="seed"),
]
