from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from offramp.access.scope import GuardedManager


class ProgramScoped(models.Model):
    """A row of participant data: it carries its program, and its default manager refuses to be queried
    outside the access layer (`GuardedManager`). Abstract: the fields land in each model's own table."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")

    objects = GuardedManager()

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One thing that happened to participant data or to access itself.

    Append-only and hash-chained (offramp/access/chain.py). An entry is inserted
    with `content_hash`, the SHA-256 of its own fields, and no place in the chain;
    the sealer (offramp/access/seal.py) then sets, once, `seq` (numbering sealed
    entries without gaps), `prev_hash` (the previous entry's `entry_hash`) and
    `entry_hash` (the SHA-256 of this entry's canonical form with both). On
    PostgreSQL a trigger refuses DELETE, and every UPDATE but that one sealing
    (migrations 0004, 0008).
    """

    class Outcome(models.TextChoices):
        OK = "ok", "Succeeded"
        DENIED = "denied", "Denied"
        NOT_FOUND = "not_found", "Not found"
        FAILED = "failed", "Failed"

    seq = models.BigIntegerField(
        unique=True, null=True, help_text="Position in the hash chain, from 1; empty until sealed"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: the actor's id is part of the entry's hash, so a user with audited
    # history is disabled, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)
    # Written with the entry; empty on entries sealed before sealing was a separate step.
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]  # insertion order: unsealed entries have no `seq` yet
        indexes = [
            models.Index(fields=["program", "object_type", "object_id"], name="audit_object"),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit entries are append-only")


class AuditChainHead(models.Model):
    """One row: the last sealed entry's sequence number and hash, locked only while sealing.

    The sealer starts by updating this row, which takes its row lock on PostgreSQL
    and the write lock on SQLite, so sealers queue and the chain never forks;
    appends never touch it. It also lets verification notice entries removed
    from the end of the chain.
    """

    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head #{self.seq}"


class Consent(ProgramScoped):
    """A participant's written consent to disclose some of their information, with every 42 CFR 2.31 element.

    Whether a consent permits a disclosure at a given moment is decided in one
    place, `offramp.access.consent`, and every disclosure passes through it.
    """

    class ExpiryOn(models.TextChoices):
        """Events the program records itself, so the consent ends when they happen."""

        EXIT = "exit", "when I leave the program"
        PROCEEDING_END = "proceeding_end", "when the court proceeding ends"

    class Recipient(models.TextChoices):
        PROSECUTOR = "prosecutor", "Liaison prosecutor's office"
        PUBLIC_DEFENDER = "public_defender", "Public defender's office"
        POLICE = "police", "Referring police agency"
        PROVIDER = "provider", "Service provider"
        HMIS = "hmis", "HMIS lead agency"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    # Who may disclose (2.31(a)(3)): the program, named here as the participant read it.
    discloser = models.CharField(max_length=200, default="The LEAD program and its case managers")
    # What (2.31(a)(2)): the data categories of offramp.access.policy.Category this consent covers.
    categories = models.JSONField(default=list, help_text="Data categories this consent covers")
    # To whom (2.31(a)(4)): a class of recipient, and the named recipient where there is one.
    recipient_class = models.CharField(max_length=32, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=200)  # 2.31(a)(5)
    # The right to revoke and how (2.31(a)(6)); some prosecutor-monitoring consents are
    # irrevocable until the proceeding ends (2.35).
    revocation_terms = models.TextField(
        default="You may revoke this consent at any time, in writing or by telling your case manager, "
        "except for disclosures already made in reliance on it."
    )
    irrevocable_until_proceeding_ends = models.BooleanField(default=False)
    proceeding_ended_at = models.DateTimeField(null=True, blank=True)
    # Expiry (2.31(a)(7)): a date, an event, or both; the first to come ends the consent.
    expires_at = models.DateTimeField(null=True, blank=True)
    expiry_event = models.CharField(max_length=200, blank=True, help_text="e.g. 'when I leave the program'")
    expiry_event_at = models.DateTimeField(null=True, blank=True, help_text="When the expiry event happened")
    expiry_on = models.CharField(
        max_length=16,
        choices=ExpiryOn.choices,
        blank=True,
        help_text="The recorded event that ends it (the exit, the proceeding's end), set when it happens",
    )
    # Signature and date (2.31(a)(8), (9)).
    signed_by = models.CharField(max_length=200, default="The participant")
    signed_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"Consent to {self.get_recipient_class_display()} ({self.purpose})"


class Disclosure(ProgramScoped):
    """One disclosure of a participant's information outside the case team: the ledger behind the
    three-year accounting of disclosures. Append-only, like the audit log."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="disclosures")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    disclosed_at = models.DateTimeField(db_index=True)
    recipient_class = models.CharField(max_length=32, choices=Consent.Recipient.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    disclosed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(max_length=300, help_text="What was disclosed")
    categories = models.JSONField(default=list)
    purpose = models.CharField(max_length=200)
    notice = models.TextField(help_text="The redisclosure notice that accompanied the disclosure")

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"{self.disclosed_at:%Y-%m-%d} to {self.recipient_name or self.recipient_class}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Disclosures are a ledger: append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Disclosures are a ledger: append-only")
