from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "offramp.reports"
    label = "reports"
