import functools

from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped
from offramp.referrals import protocol as protocol_module


class ProtocolVersion(models.Model):
    """One published version of a program's eligibility protocol, kept as the TOML that was published.

    Immutable once saved: a new version is a new row, and every decision points at the row that
    applied, so publishing never changes how a past decision reads. Program configuration, not
    participant data.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(help_text="The version number written in the file")
    label = models.CharField(max_length=200)
    text = models.TextField(help_text="The protocol file as published (TOML)")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="protocol_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} (version {self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("A published protocol version is immutable; publish a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("A published protocol version is immutable")

    @property
    def protocol(self) -> protocol_module.Protocol:
        return _parsed(self.text)


@functools.lru_cache(maxsize=32)
def _parsed(text: str) -> protocol_module.Protocol:
    # Same text, same frozen Protocol: compile_protocol's cache then hits as well.
    return protocol_module.parse_toml(text)


class Door(models.TextChoices):
    """The three ways a person arrives in LEAD."""

    ARREST = "arrest", "Arrest diversion"
    SOCIAL_CONTACT = "social_contact", "Social contact"
    COMMUNITY = "community", "Community referral"


class Referral(ProgramScoped):
    """A person sent to the program through one of the doors.

    An arrest diversion is a non-arrest: no booking, and no charge filed once intake is done.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    door = models.CharField(max_length=32, choices=Door.choices)
    referred_at = models.DateTimeField(db_index=True)
    location = models.CharField(max_length=200, blank=True, help_text="Where the stop or contact happened")
    area = models.CharField(max_length=64, blank=True, help_text="Precinct, beat or neighbourhood")
    referring_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referring_agency = models.ForeignKey(
        "programs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referrer_name = models.CharField(
        max_length=200, blank=True, help_text="Community referrals: who referred"
    )
    referrer_agency = models.CharField(
        max_length=200, blank=True, help_text="Community referrals: their agency"
    )
    referrer_phone = models.CharField(max_length=32, blank=True, help_text="Community referrals: their phone")
    offence_statute = models.CharField(max_length=64, blank=True, help_text="Local statute code")
    offence_nibrs = models.CharField(max_length=8, blank=True, help_text="FBI NIBRS offence code")
    offence_description = models.CharField(max_length=200, blank=True)
    incident_number = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The eligibility decision as it was made: the version that applied and the engine's words.
    protocol_version = models.ForeignKey(
        ProtocolVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=16, blank=True, help_text="eligible, ineligible or needs_review")
    decision_review_by = models.CharField(max_length=32, blank=True)
    decision_reasons = models.JSONField(default=list, blank=True)
    decision_missing = models.JSONField(default=list, blank=True)
    decision_facts = models.JSONField(default=dict, blank=True)
    # A decision that needs review by a role (decision_review_by) is approved or declined, with a reason.
    review_outcome = models.CharField(max_length=16, blank=True, help_text="approved or declined")
    review_reason = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The warm hand-off: when the on-call case manager was asked to come (target: there in 30 minutes).
    handoff_requested_at = models.DateTimeField(null=True, blank=True)
    handoff_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When a case manager recorded being with the person (against the 30-minute target), and who.
    handoff_arrived_at = models.DateTimeField(null=True, blank=True)
    handoff_arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(
        max_length=64, blank=True, help_text="From the referral form: a resubmission finds this referral"
    )

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["program", "referring_officer", "referred_at"], name="referral_officer"),
            models.Index(
                fields=["program", "decision_review_by", "referred_at"],
                condition=models.Q(decision="needs_review", review_outcome=""),
                name="referral_review_waiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(door="arrest") | ~models.Q(offence_nibrs=""),
                name="referral_arrest_has_offence",
            ),
            models.UniqueConstraint(
                fields=["program", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referral_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_door_display()} {self.referred_at:%Y-%m-%d}"


class ScreeningRun(ProgramScoped):
    """One records-system export of arrests, screened against one protocol version.

    The counts are kept as they were at screening; which diverted arrests went on to complete
    intake is read from their cases, and the equity audit's group counts are kept for the day.
    """

    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    # A batch the records system posted through the API (or dropped in the watched folder): one part of
    # the continuous screening, whose arrests the equity audit reads by period rather than by run.
    continuous = models.BooleanField(default=False)
    rows = models.PositiveIntegerField()
    eligible = models.PositiveIntegerField(help_text="Not ruled out by the record")
    diverted = models.PositiveIntegerField(help_text="Eligible and matched to a referral")
    missed = models.PositiveIntegerField(help_text="Eligible and not diverted")
    diverted_ineligible = models.PositiveIntegerField(
        help_text="Matched to a referral though the record rules the arrest out"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The equity audit's raw group counts, kept for the day they were counted (see equity_counts).
    equity_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Screening of {self.file_name}"


class ScreenedArrest(ProgramScoped):
    """One arrest of a screened export and what the screening found. Arrest-record data."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="arrests")
    line = models.PositiveIntegerField(help_text="Line of the file")
    incident_number = models.CharField(max_length=64)
    incident_date = models.DateField(null=True, blank=True)
    # The arrest's date and time where the record has the time (else midnight), in UTC: the
    # eligible-but-booked clock runs from it.
    arrested_at = models.DateTimeField(null=True, blank=True)
    statute = models.CharField(max_length=64)
    offence = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=16, help_text="The engine's: eligible, ineligible or needs_review")
    eligible = models.BooleanField(help_text="Not ruled out by the record (eligible or needs review)")
    reason = models.CharField(
        max_length=300, blank=True, help_text="For an ineligible arrest: the first rule"
    )
    diverted = models.BooleanField()
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    officer = models.CharField(max_length=100, blank=True)
    unit = models.CharField(max_length=64, blank=True)
    shift = models.CharField(max_length=32, blank=True, help_text="As recorded, or from the arrest time")
    area = models.CharField(max_length=64, blank=True)
    race = models.CharField(max_length=64, blank=True)
    ethnicity = models.CharField(max_length=64, blank=True)
    sex = models.CharField(max_length=32, blank=True)
    age_group = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["run", "line"]
        indexes = [
            models.Index(fields=["program", "run", "eligible"], name="screened_run_eligible"),
            models.Index(fields=["program", "incident_number"], name="screened_incident"),
            models.Index(fields=["program", "incident_date"], name="screened_incident_date"),
        ]

    def __str__(self) -> str:
        return f"Arrest {self.incident_number}"
