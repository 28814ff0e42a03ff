from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "offramp.accounts"
    label = "accounts"
