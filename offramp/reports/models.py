from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped


class CouncilReport(ProgramScoped):
    """One council report made from two raw exports: its summary, every figure and its provenance
    (offramp/reports/council.py), kept as made so a report handed to a council reads the same later."""

    arrests_file = models.CharField(max_length=255)
    records_file = models.CharField(max_length=255)
    report = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Council report {self.pk}"
