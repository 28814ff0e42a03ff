"""The operational workgroup: meetings whose agenda is built from the caseload's flags.

An agenda item names a case and why it is on the agenda; what each attendee sees of it is
decided in offramp/workgroup/queries.py from the permission matrix, never here.
"""

from django.conf import settings
from django.db import models

from offramp.access.fieldcrypt import EncryptedTextField
from offramp.access.models import ProgramScoped


class Flag(models.TextChoices):
    """Why a case is on the agenda. Stuck service referrals join when service referrals exist."""

    NEW_REFERRAL = "new_referral", "New referral"
    INTAKE_OVERDUE = "intake_overdue", "Intake overdue"
    NEW_ARREST = "new_arrest", "New arrest"
    IN_THE_WIND = "in_the_wind", "In the wind"


class Meeting(ProgramScoped):
    """One workgroup meeting. Its agenda is built when the meeting is created."""

    held_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # New referrals and new arrests count from here: the previous meeting's creation.
    flags_since = models.DateTimeField()
    # flag -> flagged cases that did not fit on the agenda (it lists the most urgent first).
    left_off = models.JSONField(default=dict, blank=True)
    # Eligible arrests whose diversion clock ran out since `flags_since` with no referral (continuous
    # screening), counted when the agenda was built: a flag on the program, not on a case.
    eligible_booked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["program", "held_on"], name="meeting_one_per_day")]

    def __str__(self) -> str:
        return f"Workgroup {self.held_on:%Y-%m-%d}"


class AgendaItem(ProgramScoped):
    """A case on a meeting's agenda for one flag, and what the case team said about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    flag = models.CharField(max_length=32, choices=Flag.choices)
    position = models.PositiveIntegerField(default=0)
    # Case-record detail: shown only to roles whose case_record scope covers the case.
    discussion = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case", "flag"], name="agenda_item_unique_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.get_flag_display()} (case {self.case_id})"


class Decision(ProgramScoped):
    """What the workgroup decided about an agenda item. Case-record detail, like the discussion."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(max_length=500)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ActionItem(ProgramScoped):
    """Something one attendee agreed to do, by a date. Until done it is carried to every later meeting.

    `item` is empty for an action that concerns no participant (it is then seen by every attendee).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="action_items"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=300)
    due_on = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["program", "owner", "done_at"], name="action_item_owner")]

    def __str__(self) -> str:
        return self.what[:50]
