from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "offramp.jobs"
    label = "jobs"
