from django.urls import path

from offramp.referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.my_referrals, name="mine"),
]
