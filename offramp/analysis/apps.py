from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "offramp.analysis"
    label = "analysis"
    verbose_name = "Evaluation data and studies"
