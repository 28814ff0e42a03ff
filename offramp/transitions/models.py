"""Transitions: a case's service referral to a provider, and a case's transfer to another case manager.

Both are the same kind of thing (the Primero pattern): something about the participant moves to a
recipient, refused without the participant's consent for that recipient unless a case supervisor
overrides with a written reason. Each status change is kept in `TransitionChange`.
"""

from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped
from offramp.cases.models import Goal
from offramp.transitions import lifecycle


class ServiceReferral(ProgramScoped):
    """A participant referred to a service: closed-loop, so it is followed until connected or ended."""

    class Status(models.TextChoices):
        PROPOSED = lifecycle.PROPOSED, lifecycle.STATUS_LABELS[lifecycle.PROPOSED]
        REFERRED = lifecycle.REFERRED, lifecycle.STATUS_LABELS[lifecycle.REFERRED]
        ACCEPTED = lifecycle.ACCEPTED, lifecycle.STATUS_LABELS[lifecycle.ACCEPTED]
        CONNECTED = lifecycle.CONNECTED, lifecycle.STATUS_LABELS[lifecycle.CONNECTED]
        DECLINED = lifecycle.DECLINED, lifecycle.STATUS_LABELS[lifecycle.DECLINED]
        COMPLETED = lifecycle.COMPLETED, lifecycle.STATUS_LABELS[lifecycle.COMPLETED]
        CLOSED = lifecycle.CLOSED, lifecycle.STATUS_LABELS[lifecycle.CLOSED]

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="service_referrals")
    # The directory never deletes a service (it retires it by status), so PROTECT is safe; the
    # provider's name is copied too, as the recipient the consent must name.
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider_name = models.CharField(max_length=200, help_text="The receiving provider")
    area = models.CharField(max_length=32, choices=Goal.Area.choices, verbose_name="Area of need")
    need = models.CharField(max_length=300, blank=True, help_text="What the participant is asking for")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = models.CharField(max_length=300, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    provider_response = models.TextField(blank=True, help_text="What the receiving provider said")
    provider_responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="When it stopped waiting")
    # How the disclosure to the provider was allowed: a consent (and its ledger row), or an override.
    consent = models.ForeignKey(
        "access.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosure = models.ForeignKey(
        "access.Disclosure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="service_referral_case"),
            models.Index(fields=["program", "status"], name="service_referral_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="service_referral_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral to {self.provider_name}"


class CaseTransfer(ProgramScoped):
    """A case moving from one case manager to another in the same program."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    decline_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="requested"), name="case_transfer_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer of case {self.case_id}"


class TransitionChange(ProgramScoped):
    """One status change of a service referral or a case transfer, with its date and who made it."""

    service_referral = models.ForeignKey(
        ServiceReferral, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    case_transfer = models.ForeignKey(
        CaseTransfer, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_referral__isnull=True, case_transfer__isnull=False)
                | models.Q(service_referral__isnull=False, case_transfer__isnull=True),
                name="transition_change_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"
