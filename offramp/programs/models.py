import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from offramp.access.roles import Role

DEFAULT_CONFIGURATION = {
    "intake_window_days": 30,
    "caseload_soft_limit": 20,
    "caseload_hard_limit": 25,
    "in_the_wind_days": 30,
}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/Los_Angeles")


class Program(models.Model):
    """A LEAD site: one jurisdiction's program, with its own rules and staff."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    jurisdiction = models.CharField(max_length=200)
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    configuration = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def setting(self, key: str):
        return self.configuration.get(key, DEFAULT_CONFIGURATION[key])


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police department"
        PROVIDER = "provider", "Service provider"
        PROSECUTOR = "prosecutor", "Prosecutor's office"
        PUBLIC_DEFENDER = "public_defender", "Public defender"
        LEGAL_AID = "legal_aid", "Civil legal aid"
        COMMUNITY = "community", "Community partner"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff member's role in one program. A person may hold several roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.program}"
