from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "offramp.documents"
    verbose_name = "Case documents"
