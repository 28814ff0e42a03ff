import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from offramp.programs import configuration as program_settings
from offramp.programs.roles import Role


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

    @property
    def small_cell(self) -> int:
        """The smallest count shown in anything that leaves the system: the program's threshold, never
        below the deployment's OFFRAMP_SMALL_CELL."""
        own = self.setting("small_cell_threshold")
        return max(int(own or settings.SMALL_CELL), settings.SMALL_CELL)

    def setting(self, key: str):
        """The program's value for a setting in the one table (programs/configuration.py), or its default."""
        entry = program_settings.SETTINGS[key]  # a key not in the table is a programming error
        value = (self.configuration or {}).get(key)
        return program_settings.default(entry.key) if value is None else value


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


class OnCallShift(models.Model):
    """One line of a program's on-call rota: a case manager on call for hours of a weekday, or a fallback.

    Program configuration edited by case supervisors; read by `offramp.programs.rota`.
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="0 is Monday; empty for a fallback"
    )
    start_hour = models.PositiveSmallIntegerField(default=0)
    end_hour = models.PositiveSmallIntegerField(default=24, help_text="Not after the start: runs overnight")
    fallback = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fallback", "weekday", "start_hour", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fallback=True) | models.Q(weekday__isnull=False, weekday__lte=6),
                name="oncall_regular_has_weekday",
            ),
            models.CheckConstraint(
                condition=models.Q(start_hour__lte=23, end_hour__gte=1, end_hour__lte=24),
                name="oncall_hours_in_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on call"


class QuestionSetVersion(models.Model):
    """One version of a program's assessment questions, as a project manager saved it.

    The newest is the one asked (it is also the `assessment_questions` setting); each assessment keeps
    the questions it was asked with, so a new version never changes how a past answer reads. Rows are
    never edited: a change is a new version. Program configuration, not participant data.
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    questions = models.JSONField(help_text="Domain -> questions, as validated by cases/questions.py")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="question_set_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Questions version {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("A question set version is never edited; save a new version instead")
        super().save(*args, **kwargs)
