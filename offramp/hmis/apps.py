from django.apps import AppConfig


class HmisConfig(AppConfig):
    name = "offramp.hmis"
    label = "hmis"
    verbose_name = "HMIS CSV export"
