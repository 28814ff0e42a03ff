from django.conf import settings
from django.db import models

from offramp.access.scope import GuardedManager


class Status(models.TextChoices):
    """Where a case stands. There is no 'failed': participants cannot fail out of LEAD."""

    REFERRED = "referred", "Referred (intake pending)"
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    EXITED = "exited", "Exited"


class ExitReason(models.TextChoices):
    """Why a case closed. Nobody exits for drug use or for missing a goal."""

    GOALS_MET = "goals_met", "Goals met"
    MOVED = "moved", "Moved away"
    CHOSE_TO_LEAVE = "chose_to_leave", "Chose to leave"
    LONG_TERM_INCARCERATION = "long_term_incarceration", "Long-term incarceration"
    DECEASED = "deceased", "Deceased"
    NO_CONTACT = "no_contact", "No contact for the program's period"
    INTAKE_NOT_COMPLETED = "intake_not_completed", "Intake not completed in the window"


class Case(models.Model):
    """A person's enrolment in a program, from referral to exit."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REFERRED)
    status_reason = models.CharField(max_length=200, blank=True)
    exit_reason = models.CharField(max_length=32, choices=ExitReason.choices, blank=True)
    opened_at = models.DateTimeField()
    intake_due = models.DateField(null=True, blank=True)
    intake_completed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField()

    objects = GuardedManager()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["program", "case_manager", "status"], name="case_caseload"),
            models.Index(fields=["program", "status"], name="case_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="exited") | models.Q(exit_reason=""),
                name="case_exit_reason_only_when_exited",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="exited") | ~models.Q(exit_reason=""),
                name="case_exited_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class StatusChange(models.Model):
    """The status history of a case; the current status is also kept on the case for fast lists."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GuardedManager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"


class Contact(models.Model):
    """A contact or attempted contact with a participant: the heart of case management."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        STREET_OUTREACH = "street_outreach", "Street outreach"
        PHONE = "phone", "Phone"
        TEXT = "text", "Text message"
        VIDEO = "video", "Video"
        COLLATERAL = "collateral", "Collateral (someone else about the participant)"

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    successful = models.BooleanField(
        default=True, help_text="False for an attempt that did not reach the person"
    )
    at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GuardedManager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "successful", "at"], name="contact_case_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {'contact' if self.successful else 'attempt'}"
