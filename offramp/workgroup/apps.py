from django.apps import AppConfig


class WorkgroupConfig(AppConfig):
    name = "offramp.workgroup"
    label = "workgroup"
    verbose_name = "Operational workgroup"
