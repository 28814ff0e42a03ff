from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "offramp.referrals"
    label = "referrals"
