from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "offramp.legal"
    label = "legal"
