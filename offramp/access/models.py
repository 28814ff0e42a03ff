from django.conf import settings
from django.db import models
from django.utils import timezone

from offramp.access.scope import GuardedManager


class AuditEntry(models.Model):
    """One thing that happened to participant data or to access itself. Append-only."""

    class Outcome(models.TextChoices):
        OK = "ok", "Succeeded"
        DENIED = "denied", "Denied"
        NOT_FOUND = "not_found", "Not found"
        FAILED = "failed", "Failed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, help_text="Username or system job, kept if the user is removed"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    source_address = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OK)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["program", "object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only")


class Consent(models.Model):
    """A participant's written consent to disclose some of their information (42 CFR 2.31 shaped).

    The foundation holds what the status lookup needs; the consent issue adds the
    full set of elements, revocation workflow and the disclosure ledger.
    """

    class Recipient(models.TextChoices):
        PROSECUTOR = "prosecutor", "Liaison prosecutor's office"
        PROVIDER = "provider", "Service provider"
        HMIS = "hmis", "HMIS lead agency"

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    recipient_class = models.CharField(max_length=32, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    categories = models.JSONField(default=list, help_text="Data categories this consent covers")
    purpose = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = GuardedManager()

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"Consent to {self.get_recipient_class_display()} ({self.purpose})"
