from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "offramp.demo"
    label = "demo"
