from django.conf import settings
from django.db import models

from offramp.access.scope import GuardedManager


class Door(models.TextChoices):
    """The three ways a person arrives in LEAD."""

    ARREST = "arrest", "Arrest diversion"
    SOCIAL_CONTACT = "social_contact", "Social contact"
    COMMUNITY = "community", "Community referral"


class Referral(models.Model):
    """A person sent to the program through one of the doors.

    An arrest diversion is a non-arrest: no booking, and no charge filed once intake is done.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
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
    offence_statute = models.CharField(max_length=64, blank=True, help_text="Local statute code")
    offence_nibrs = models.CharField(max_length=8, blank=True, help_text="FBI NIBRS offence code")
    offence_description = models.CharField(max_length=200, blank=True)
    incident_number = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GuardedManager()

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["program", "referring_officer", "referred_at"], name="referral_officer")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(door="arrest") | ~models.Q(offence_nibrs=""),
                name="referral_arrest_has_offence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_door_display()} {self.referred_at:%Y-%m-%d}"
