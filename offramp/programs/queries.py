"""Reads of a program's staff (not participant data)."""

from django.core.exceptions import ValidationError

from offramp.access.roles import Role
from offramp.programs.models import Membership

ERR_NOT_A_CASE_MANAGER = "Choose an active case manager of this program."


def active_case_manager(*, program_id: int, user_id: int):
    """The user if they are an active case manager of the program, else a ValidationError."""
    membership = (
        Membership.objects.filter(
            program_id=program_id,
            role=Role.CASE_MANAGER,
            is_active=True,
            user_id=user_id,
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError(ERR_NOT_A_CASE_MANAGER)
    return membership.user
