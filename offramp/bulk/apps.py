from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "offramp.bulk"
    label = "bulk"
    verbose_name = "Bulk import of an existing program"
