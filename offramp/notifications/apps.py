from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "offramp.notifications"
    label = "notifications"
