from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped


class Notification(ProgramScoped):
    """A message to one staff member, shown in the app and (briefly) by email.

    The text is written for its recipient's role when it is sent: a prosecutor's notice
    carries status and dates only, never anything clinical.
    """

    class Kind(models.TextChoices):
        HANDOFF = "handoff", "Warm hand-off requested"
        CASE_ASSIGNED = "case_assigned", "Case assigned to you"
        INTAKE_DUE_SOON = "intake_due_soon", "Intake deadline near"
        INTAKE_LAPSED = "intake_lapsed", "Intake not completed in time"
        CHARGE_NOT_TO_BE_FILED = "charge_not_filed", "Intake completed: charge not to be filed"
        REVIEW_DECIDED = "review_decided", "A referral's review decided"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=200, blank=True, help_text="A page in offramp to open")
    key = models.CharField(
        max_length=100, blank=True, help_text="What this notice is about; one notice per recipient and key"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "recipient", "created_at"], name="notification_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title
