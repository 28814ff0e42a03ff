from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "offramp.access"
    label = "access"

    def ready(self):
        from offramp.access import signals  # noqa: F401  (connects the log-on audit receivers)
