from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "offramp.directory"
    verbose_name = "Service directory (Open Referral HSDS)"
