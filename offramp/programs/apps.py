from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "offramp.programs"
    label = "programs"
