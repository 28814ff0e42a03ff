from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    SERGEANT = "sergeant", "Sergeant"
    CASE_MANAGER = "case_manager", "Case manager"
    CASE_SUPERVISOR = "case_supervisor", "Case supervisor"
    PROJECT_MANAGER = "project_manager", "Project manager"
    PROSECUTOR = "prosecutor", "Prosecutor"
    PUBLIC_DEFENDER = "public_defender", "Public defender"
    EVALUATOR = "evaluator", "Evaluator"
    SYSTEM_ADMIN = "system_admin", "System administrator"
