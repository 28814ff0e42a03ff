from django.conf import settings
from django.db import models
from django.db.models import F

from offramp.access.fieldcrypt import EncryptedJSONField, EncryptedTextField
from offramp.access.models import ProgramScoped
from offramp.cases import outcomes
from offramp.paging import NullsFirstIndex


class Status(models.TextChoices):
    """Where a case stands. There is no 'failed': participants cannot fail out of LEAD."""

    REFERRED = "referred", "Referred (intake pending)"
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    REENGAGED = "reengaged", "Re-engaged"
    EXITED = "exited", "Exited"


# Every status but exited: the caseload's default view, and what counts against a caseload limit.
OPEN_STATUSES = (Status.REFERRED, Status.ACTIVE, Status.INACTIVE, Status.REENGAGED)


class ExitReason(models.TextChoices):
    """Why a case closed. Nobody exits for drug use or for missing a goal."""

    GOALS_MET = "goals_met", "Goals met"
    MOVED = "moved", "Moved away"
    CHOSE_TO_LEAVE = "chose_to_leave", "Chose to leave"
    LONG_TERM_INCARCERATION = "long_term_incarceration", "Long-term incarceration"
    DECEASED = "deceased", "Deceased"
    NO_CONTACT = "no_contact", "No contact for the program's period"
    INTAKE_NOT_COMPLETED = "intake_not_completed", "Intake not completed in the window"


class Case(ProgramScoped):
    """A person's enrolment in a program, from referral to exit."""

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
    # The latest successful contact, kept by every writer of contacts (offramp/cases/last_contact.py):
    # lists sort and filter on it. NULL: never reached; lists put those first on every database.
    last_contact_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["program", "case_manager", "status"], name="case_caseload"),
            models.Index(fields=["program", "status"], name="case_status"),
            # The caseload sorted by last contact (and "in the wind"): a case manager's, and everyone's.
            NullsFirstIndex(
                F("program"),
                F("case_manager"),
                F("last_contact_at").asc(nulls_first=True),
                F("id"),
                name="case_manager_last_contact",
            ),
            NullsFirstIndex(
                F("program"), F("last_contact_at").asc(nulls_first=True), F("id"), name="case_last_contact"
            ),
            # "In the wind" among the never-contacted: opened before the cutoff.
            models.Index(fields=["program", "opened_at", "id"], name="case_opened"),
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


class StatusChange(ProgramScoped):
    """The status history of a case; the current status is also kept on the case for fast lists."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"


class Contact(ProgramScoped):
    """A contact or attempted contact with a participant: the heart of case management."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        STREET_OUTREACH = "street_outreach", "Street outreach"
        PHONE = "phone", "Phone"
        TEXT = "text", "Text message"
        VIDEO = "video", "Video"
        COLLATERAL = "collateral", "Collateral (someone else about the participant)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    successful = models.BooleanField(
        default=True, help_text="False for an attempt that did not reach the person"
    )
    at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    # The note holds substance-use information (42 CFR Part 2): only roles with that category read it.
    part2 = models.BooleanField(default=False, verbose_name="Substance-use content")
    note = EncryptedTextField(blank=True)  # narrative: sealed with AES-256-GCM (offramp/access/fieldcrypt.py)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "successful", "at"], name="contact_case_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {'contact' if self.successful else 'attempt'}"


class Plan(ProgramScoped):
    """The Individual Intervention Plan: the participant's own goals, agreed by them.

    `version` rises with every change to the plan or its goals, so a save prepared on an
    older page is refused rather than silently overwriting someone else's change.
    """

    class Agreement(models.TextChoices):
        SIGNED = "signed", "Signed by the participant"
        VERBAL = "verbal", "Verbal agreement"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    version = models.PositiveIntegerField(default=1)
    agreed_how = models.CharField(max_length=16, choices=Agreement.choices, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_version = models.PositiveIntegerField(null=True, blank=True)  # the plan version agreed to
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Plan for case {self.case_id}"


class Goal(ProgramScoped):
    """A goal as the participant puts it. There is no abstinence or compliance goal, and no 'failed'."""

    class Area(models.TextChoices):
        HOUSING = "housing", "Housing"
        INCOME = "income", "Income and benefits"
        ID = "id", "ID documents"
        PHYSICAL_HEALTH = "physical_health", "Physical health"
        MENTAL_HEALTH = "mental_health", "Mental health"
        SUBSTANCE_USE = "substance_use", "Substance use (the participant's choice)"
        LEGAL = "legal", "Legal"
        EDUCATION = "education", "Education"
        EMPLOYMENT = "employment", "Employment"
        TRANSPORTATION = "transportation", "Transportation"
        FAMILY = "family", "Family and safety"
        OTHER = "other", "Something else"

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        SET_ASIDE = "set_aside", "Set aside"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(max_length=32, choices=Area.choices)
    # Sealed (AES-256-GCM): a substance-use goal in the participant's words is Part 2 information.
    in_own_words = EncryptedTextField(verbose_name="In the participant's own words")
    status = models.CharField(max_length=16, choices=Progress.choices, default=Progress.NOT_STARTED)
    target_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.get_area_display()


class Step(ProgramScoped):
    """One step toward a goal: who does what, by when."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    what = models.CharField(max_length=300)
    who = models.CharField(max_length=100, help_text="The participant, the case manager, a provider...")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Goal.Progress.choices, default=Goal.Progress.NOT_STARTED)

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.what


class Assessment(ProgramScoped):
    """One critical-needs check or in-depth assessment, with its date: reassessments are new rows.

    `answers` holds every domain but substance use as {domain: {question: answer}};
    `substance_use` holds that domain's answers apart, as 42 CFR Part 2 information, so a
    role without Part 2 never even reads it from the database. `questions` keeps the
    question set as it was asked, so a later change to the program's questions does not
    change how an old assessment reads. `version` rises with each edit (concurrent edits).
    """

    class Kind(models.TextChoices):
        CRITICAL = "critical", "Critical-needs check"
        FULL = "full", "In-depth assessment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    assessed_on = models.DateField()
    # Both sealed with the field keys: substance use is Part 2, and answers hold free-text notes.
    answers = EncryptedJSONField(default=dict, blank=True)
    substance_use = EncryptedJSONField(default=dict, blank=True)
    questions = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "kind", "assessed_on"], name="assessment_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on}"


class OutcomeSnapshot(ProgramScoped):
    """A participant's situation as of a date: monthly, and whenever it changes.

    Housing uses HMIS CurrentLivingSituation codes (offramp/cases/outcomes.py); the rest are
    the evaluations' categories. Rows are never edited: a correction is a new snapshot.
    """

    class Reason(models.TextChoices):
        MONTHLY = "monthly", "Monthly check"
        CHANGE = "change", "Something changed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="snapshots")
    as_of = models.DateField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    living_situation = models.PositiveSmallIntegerField(choices=outcomes.LivingSituation.choices)
    employment = models.CharField(max_length=16, choices=outcomes.Employment.choices)
    income_sources = models.JSONField(default=list, blank=True)  # IncomeSource values; empty: none
    health_insurance = models.CharField(max_length=16, choices=outcomes.Insurance.choices)
    id_obtained = models.BooleanField(default=False, verbose_name="Has a current photo ID")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["case", "as_of"], name="snapshot_case_as_of")]

    def __str__(self) -> str:
        return f"Outcomes as of {self.as_of}"
