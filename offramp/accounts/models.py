from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A staff account. Participants never log in to offramp."""

    display_name = models.CharField(max_length=150, blank=True)
    badge_number = models.CharField(max_length=32, blank=True, help_text="Officers: badge or serial number")
    phone = models.CharField(max_length=32, blank=True)
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set after repeated failed sign-ins; only an administrator clears it"
    )
    is_temporary = models.BooleanField(
        default=False, help_text="A temporary account is disabled 72 hours after it was created"
    )
    must_change_password = models.BooleanField(
        default=False, help_text="Set when an administrator sets the password: the user changes it at sign-in"
    )
    is_host_admin = models.BooleanField(
        default=False,
        help_text="A deployment's host administrator: creates programs and their first project manager, "
        "sees the cross-site aggregate; no participant record",
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class FailedLogin(models.Model):
    """One failed sign-in against an existing account, counted for the lockout rule."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} at {self.at:%Y-%m-%d %H:%M:%S}"
