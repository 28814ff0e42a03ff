from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "offramp.access"
    label = "access"

    def ready(self) -> None:
        from offramp.access import checks, signals  # noqa: F401  (deployment checks; log-on audit receivers)
