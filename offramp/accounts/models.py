from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A staff account. Participants never log in to offramp."""

    display_name = models.CharField(max_length=150, blank=True)
    badge_number = models.CharField(max_length=32, blank=True, help_text="Officers: badge or serial number")
    phone = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username
