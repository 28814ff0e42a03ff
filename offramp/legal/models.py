"""Legal coordination: what the case manager writes for the liaison prosecutor and the public
defender, what the prosecutor notes and decides, and the defender's own short notes. Never case
notes: the prosecutor and the defender read only what is written for them. All are append-only: a
changed statement is a new row, so what was shown when stays known.
"""

from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped

STATEMENT_MAX = 1000
DEFENDER_NOTE_MAX = 1000  # short notes on the case, not a case file


class LegalStatement(ProgramScoped):
    """The case manager's short statement of the participant's goals and progress, for legal coordination."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_statements")
    text = models.TextField(max_length=STATEMENT_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["case", "written_at"], name="legal_statement_case")]

    def __str__(self) -> str:
        return f"Statement for case {self.case_id}"


class Decision(models.TextChoices):
    """What the liaison prosecutor decided about the charge a diversion holds back."""

    HOLD = "hold", "Hold (no filing decision yet)"
    DISMISS = "dismiss", "Dismiss"
    PROCEED = "proceed", "Proceed with the charge"


class ProsecutorNote(ProgramScoped):
    """A liaison prosecutor's note on a participant's legal coordination, with a decision or none."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="prosecutor_notes")
    note = models.TextField(max_length=2000, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="prosecutor_note_case")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(note="", decision=""), name="prosecutor_note_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"Prosecutor's note on case {self.case_id}"


class DefenderNote(ProgramScoped):
    """The public defender's own short note on a participant's legal coordination: never a decision
    (the defender decides nothing here), and never shown to the prosecutor."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="defender_notes")
    note = models.TextField(max_length=DEFENDER_NOTE_MAX)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="defender_note_case")]
        constraints = [models.CheckConstraint(condition=~models.Q(note=""), name="defender_note_not_empty")]

    def __str__(self) -> str:
        return f"Public defender's note on case {self.case_id}"
