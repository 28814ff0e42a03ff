from django.urls import path

from offramp.referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.my_referrals, name="mine"),
    path("referrals/new/", views.referral_new, name="new"),
    path("referrals/reviews/", views.review_queue, name="reviews"),
    path("referrals/<int:referral_id>/review", views.review_decide, name="review"),
    path("referrals/<int:referral_id>/handoff/", views.handoff, name="handoff"),
    path("referrals/<int:referral_id>/arrival/", views.handoff_arrival, name="arrival"),
    path("protocols/", views.protocols, name="protocols"),
    path("protocols/<int:version>.toml", views.protocol_export, name="protocol_export"),
    path("screening/", views.screening, name="screening"),
    path("screening/continuous/", views.continuous, name="continuous"),
    path("screening/<int:run_id>/equity/", views.equity, name="equity"),
    path("screening/<int:run_id>/equity.csv", views.equity_csv, name="equity_csv"),
]
