from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "offramp.planning"
    label = "planning"
