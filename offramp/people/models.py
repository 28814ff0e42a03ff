from django.conf import settings
from django.db import models

from offramp.access.fieldcrypt import EncryptedTextField
from offramp.access.models import ProgramScoped
from offramp.people import hmis


class Person(ProgramScoped):
    """Someone referred to the program. Demographics use HMIS FY2026 codes so exports need no mapping."""

    legal_first_name = models.CharField(max_length=50)
    legal_middle_name = models.CharField(max_length=50, blank=True)
    legal_last_name = models.CharField(max_length=50)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="The name the person asks to be called"
    )
    name_data_quality = models.PositiveSmallIntegerField(
        choices=hmis.NameDataQuality.choices, default=hmis.NameDataQuality.FULL
    )
    date_of_birth = models.DateField(null=True, blank=True)
    dob_data_quality = models.PositiveSmallIntegerField(
        choices=hmis.DOBDataQuality.choices, default=hmis.DOBDataQuality.FULL
    )
    sex = models.PositiveSmallIntegerField(choices=hmis.Sex.choices, null=True, blank=True)
    am_ind_ak_native = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    asian = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    black_af_american = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    hispanic_latinao = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    mid_east_n_african = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    native_hi_pacific = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    white = models.PositiveSmallIntegerField(choices=hmis.NoYes.choices, default=hmis.NoYes.NO)
    race_none = models.PositiveSmallIntegerField(choices=hmis.RaceNone.choices, null=True, blank=True)
    additional_race_ethnicity = models.CharField(max_length=100, blank=True)
    veteran_status = models.PositiveSmallIntegerField(
        choices=hmis.NoYesReasons.choices, default=hmis.NoYesReasons.NOT_COLLECTED
    )
    # HMIS FY2026 dropped its Gender element (Sex, list 4.21, replaced it): gender is the person's own words.
    gender = models.CharField(max_length=100, blank=True, help_text="In the person's own words")
    language = models.CharField(max_length=64, blank=True, help_text="Preferred language")
    phone = models.CharField(max_length=32, blank=True)
    # Where to find them (a camp, a corner, a friend's couch): narrative, sealed like case notes.
    whereabouts = EncryptedTextField(blank=True)
    emergency_contact_name = models.CharField(max_length=100, blank=True)
    emergency_contact_relationship = models.CharField(max_length=64, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["program", "legal_last_name", "legal_first_name"], name="person_name"),
            models.Index(fields=["program", "date_of_birth"], name="person_dob"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}".strip()

    @property
    def race_labels(self) -> list[str]:
        labels = [
            label for field, (_, label) in hmis.RACE_FIELDS.items() if getattr(self, field) == hmis.NoYes.YES
        ]
        return labels or ([hmis.RaceNone(self.race_none).label] if self.race_none else [])


class Alias(ProgramScoped):
    """Another name a person is known by (a street name, a former name, a common misspelling)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=50, blank=True)
    last_name = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name_plural = "aliases"
        indexes = [models.Index(fields=["program", "last_name", "first_name"], name="alias_name")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ProfileChange(ProgramScoped):
    """One edit of a person's profile: which fields changed, from what to what, by whom and when.

    Sealed fields (where to find them) are recorded as changed, never with their words.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="profile_changes")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=dict, help_text="field -> [before, after] as shown on the page")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"], name="profile_change_person")]

    def __str__(self) -> str:
        return f"Profile change {self.at:%Y-%m-%d}"


class PersonLink(ProgramScoped):
    """Two person records the case team found to be one person. A link never merges them: both keep their
    history, and a split ends the link but is kept, so the pair is not linked again by mistake."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # the lower id
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    split_at = models.DateTimeField(null=True, blank=True)
    split_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    split_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__lt=models.F("other")), name="person_link_ordered"
            ),
            models.UniqueConstraint(
                fields=["person", "other"], condition=models.Q(split_at__isnull=True), name="person_link_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Link {self.person_id}-{self.other_id}"


class LinkSuggestion(ProgramScoped):
    """Two person records that an import found may be one person, for the case team to decide.

    Never a link by itself: a confirm makes an ordinary `PersonLink` (and points to it), a dismiss says
    they are two people. Either way the row stays, one per pair ever, so a pair is never suggested again.
    A separate table rather than a state of `PersonLink`: every reader of links (the profile, the
    officer's matches, retention) takes a link as something the case team found, and a guess among them
    would be one forgotten filter away from being read as a finding.
    """

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed: one person"
        DISMISSED = "dismissed", "Dismissed: two people"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # the lower id
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, help_text="Why they may be one person, never their names")
    source = models.CharField(max_length=200, help_text="What suggested it: the import, its file and line")
    suggested_at = models.DateTimeField()
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # who ran the import; none for the command, which acts as the system
    state = models.CharField(max_length=16, choices=State.choices, default=State.SUGGESTED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.CharField(max_length=300, blank=True)
    link = models.ForeignKey(
        PersonLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the link a confirm made (or found already made)

    class Meta:
        ordering = ["suggested_at", "id"]
        indexes = [models.Index(fields=["program", "state"], name="link_suggestion_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__lt=models.F("other")), name="link_suggestion_ordered"
            ),
            models.UniqueConstraint(fields=["person", "other"], name="link_suggestion_once"),
        ]

    def __str__(self) -> str:
        return f"Suggested link {self.person_id}-{self.other_id}"
