from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "offramp.transitions"
    verbose_name = "Service referrals and case transfers"
