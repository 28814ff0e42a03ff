"""Integrations: the other systems (records system, prosecutor's case system, HMIS lead) that call the API.

An integration belongs to one program, acts for at most one of its agencies, holds a list of
scopes and a token kept only as its SHA-256. Program configuration, not participant data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Integration(models.Model):
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100, help_text="Shown in the audit log for every call")
    agency = models.ForeignKey(
        "programs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency whose referrals it makes and reads",
    )
    scopes = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    token_start = models.CharField(max_length=16, help_text="The token's first characters, to tell it apart")
    rate_per_minute = models.PositiveIntegerField(default=120)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's current one-minute window and how many calls it has had.
    window_start = models.DateTimeField(null=True, blank=True)
    window_calls = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="integration_unique_name")]

    def __str__(self) -> str:
        return self.name

    def active_at(self, at) -> bool:
        return self.revoked_at is None and self.expires_at > at

    @property
    def audit_label(self) -> str:
        return f"integration:{self.name}"
