from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped


class LegalHold(ProgramScoped):
    """A legal hold on a person's records (set from one of their cases, or on the person): while it is
    in force, retention removes nothing of theirs. Set and released by a project manager, both audited.
    A released hold is kept, with who released it and why."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=300, help_text="The litigation, request or order it is for")
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["program", "person", "released_at"], name="legal_hold_person")]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"


class Removal(ProgramScoped):
    """A person whose identifying details retention removed: when, under which rule, and the
    de-identified facts the evaluation counts (the person, case and referral rows stay, without names,
    exact dates of birth, contact details or free text). A person is removed once."""

    class Rule(models.TextChoices):
        LAPSED_REFERRAL = "lapsed_referral", "Lapsed referral (intake never completed)"
        CLOSED_CASE = "closed_case", "Closed case"

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=32, choices=Rule.choices)
    due_since = models.DateField(help_text="The last referral or exit the rule counts from")
    removed_at = models.DateTimeField()
    counts = models.JSONField(default=dict, help_text="What was removed, by kind: counts, never values")

    class Meta:
        ordering = ["-removed_at", "-id"]

    def __str__(self) -> str:
        return f"Removal {self.pk} ({self.rule})"
