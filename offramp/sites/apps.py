from django.apps import AppConfig


class SitesConfig(AppConfig):
    """Running programs without a Python shell: each program's settings page (and, for a host of
    several programs, the switch between them)."""

    name = "offramp.sites"
    label = "sites"
