from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "offramp.cases"
    label = "cases"
