from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "offramp.web"
    label = "web"
