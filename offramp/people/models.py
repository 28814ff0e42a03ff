from django.conf import settings
from django.db import models

from offramp.access.scope import GuardedManager
from offramp.people import hmis


class Person(models.Model):
    """Someone referred to the program. Demographics use HMIS FY2026 codes so exports need no mapping."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
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
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GuardedManager()

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


class Alias(models.Model):
    """Another name a person is known by (a street name, a former name, a common misspelling)."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=50, blank=True)
    last_name = models.CharField(max_length=50, blank=True)

    objects = GuardedManager()

    class Meta:
        verbose_name_plural = "aliases"
        indexes = [models.Index(fields=["program", "last_name", "first_name"], name="alias_name")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
