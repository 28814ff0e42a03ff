from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "offramp.accounts"
    label = "accounts"

    def ready(self):
        from offramp.accounts import signals  # noqa: F401  (session clocks and the lockout count)
