from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "offramp.api"
    label = "api"
    verbose_name = "Integrations API"
