from django.urls import path

from offramp.transitions import views

app_name = "transitions"
urlpatterns = [
    path("cases/<int:case_id>/transfer/", views.transfer, name="transfer"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:transfer_id>/decide", views.transfer_decide, name="transfer_decide"),
    path("cases/<int:case_id>/service-referrals/", views.referrals, name="referrals"),
    path("cases/<int:case_id>/service-referrals/new", views.referral_new, name="referral_new"),
    path(
        "cases/<int:case_id>/service-referrals/<int:referral_id>/",
        views.referral_update,
        name="referral_update",
    ),
]
