"""Imported legal-system records, their links to participants, studies and study runs.

A `Subject` is a person in an imported legal-system extract: a participant (linked to a
`people.Person` through a reviewable `SubjectLink`) or someone in a comparison pool. Subjects are
never merged into participants: a link records the evidence (identifier, or name and date of
birth with a score) and a decision.
"""

from django.conf import settings
from django.db import models

from offramp.access.models import ProgramScoped
from offramp.evaluation.study import RECORD_KINDS


class ImportBatch(ProgramScoped):
    """One file loaded whole: what it was, how it was mapped, who loaded it."""

    class Table(models.TextChoices):
        PEOPLE = "people", "People (participants and comparison pool)"
        EVENTS = "events", "Legal-system events"

    class Status(models.TextChoices):
        # A file's rows are inserted in short transactions under a staged batch, which every reader
        # skips; one brief final transaction marks the batch loaded (offramp/analysis/staging.py).
        STAGED = "staged", "Loading"
        LOADED = "loaded", "Loaded"

    table = models.CharField(max_length=16, choices=Table.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.LOADED)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    mapping = models.TextField(help_text="The column-mapping TOML the file was read with")
    source = models.CharField(max_length=200, blank=True, help_text="Where the extract came from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows} rows)"


class Subject(ProgramScoped):
    """A person in imported legal-system records, in one study arm (``lead``, ``comparison``, ...)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="subjects")
    source_id = models.CharField(max_length=64, help_text="The person's id in the source system")
    arm = models.CharField(max_length=40)
    first_name = models.CharField(max_length=50, blank=True)
    last_name = models.CharField(max_length=50, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    race_ethnicity = models.CharField(max_length=40, blank=True)
    area = models.CharField(max_length=40, blank=True)
    offence_type = models.CharField(max_length=40, blank=True)
    index_date = models.DateField(
        null=True, blank=True, help_text="Referral date, or the comparison person's (pseudo-)index date"
    )
    followup_end = models.DateField(null=True, blank=True, help_text="Left observation (death, moved)")
    program_months = models.PositiveIntegerField(null=True, blank=True)
    participant_id = models.CharField(max_length=64, blank=True, help_text="offramp's person id, if known")
    incident_number = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "source_id"], name="subject_source_unique"),
        ]
        indexes = [models.Index(fields=["program", "date_of_birth"], name="subject_dob")]

    def __str__(self) -> str:
        return f"subject {self.source_id}"


class LegalEvent(ProgramScoped):
    """An arrest, booking, charge, jail stay or prison sentence of a subject; or a warrant or court case
    opened or closed (legal coordination shows what is open; studies never count them)."""

    Kind = models.TextChoices("Kind", [(k, k.replace("_", " ").capitalize()) for k in RECORD_KINDS])

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="events")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    date = models.DateField()
    days = models.PositiveIntegerField(null=True, blank=True, help_text="Length of a jail or prison stay")
    index_related = models.BooleanField(default=False, help_text="Follows from the index arrest itself")

    class Meta:
        indexes = [models.Index(fields=["program", "subject", "date"], name="legalevent_subject_date")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.date}"


class SubjectLink(ProgramScoped):
    """Evidence that a subject is a participant, and a person's decision on it. Never a merge."""

    class Method(models.TextChoices):
        IDENTIFIER = "identifier", "Identifier"
        NAME_DOB = "name_dob", "Name and date of birth"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=16, choices=Method.choices)
    score = models.FloatField(help_text="1.0 for an identifier; name similarity for name and date of birth")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "person"], name="subjectlink_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} -> {self.person_id} ({self.status})"


class Study(ProgramScoped):
    """A study definition (TOML, see docs/evaluation.md) saved for a program."""

    name = models.CharField(max_length=200)
    toml = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.name


class StudyRun(ProgramScoped):
    """One run of a study on the program's de-identified data; `result` holds every estimate."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to run"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="runs")
    study_toml = models.TextField(help_text="The definition as it was when the run started")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    job = models.ForeignKey(
        "jobs.JobProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.study} run {self.pk}"
