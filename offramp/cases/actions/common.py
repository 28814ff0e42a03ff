"""What every change of case work needs: the case, locked, if the actor may change it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from offramp.access.scope import Actor
from offramp.accounts.models import User
from offramp.cases.models import Case
from offramp.cases.queries.scope import case_for


class StaleVersion(ValidationError):
    """A save prepared on an older version. `current` holds the saved values to show beside the user's."""

    def __init__(self, message: str, *, current: dict, version: int):
        super().__init__(message)
        self.current, self.version = current, version


def case_for_update(actor: Actor, case_id: int) -> Case:
    """The case, locked, if the actor may change it (own caseload, or any in the program), else 404."""
    return case_for(actor, case_id, lock=True, change=True, related=("referral",)).case


def acting_user(actor: Actor) -> User | None:
    return actor.user if actor.user_id else None


def local_today(actor: Actor) -> dt.date:
    return timezone.localdate(timezone=actor.program.zone)
