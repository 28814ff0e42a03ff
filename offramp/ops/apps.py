from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "offramp.ops"
    label = "ops"
    verbose_name = "Operations"
