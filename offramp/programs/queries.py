"""Reads of a program's staff (not participant data)."""

import re
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db.models import Q

from offramp.programs import rota
from offramp.programs.models import Membership, OnCallShift
from offramp.programs.roles import Role

ERR_NOT_A_CASE_MANAGER = "Choose an active case manager of this program."


def active_case_manager(*, program_id: int, user_id: int) -> Any:
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


def can_sign_in() -> Q:
    """Accounts someone can sign in to now: active, not locked, with a password or a single-sign-on link.

    A hand-off sent to an account nobody can open reaches no one, so routing asks this.
    """
    return (
        Q(user__is_active=True, user__locked_at__isnull=True)
        & (~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(user__socialaccount__isnull=False))
        & ~Q(user__password="")
    )


def routable_case_managers(program_id: int) -> dict:
    """The program's active case managers who can sign in, by user id."""
    memberships = (
        Membership.objects.filter(
            can_sign_in(), program_id=program_id, role=Role.CASE_MANAGER, is_active=True
        )
        .select_related("user")
        .distinct()
    )
    return {m.user_id: m.user for m in memberships}


def rota_shifts(program_id: int) -> list[rota.Shift]:
    """The program's rota as plain shifts (configuration, not participant data)."""
    return [
        rota.Shift(
            user_id=s.user_id,
            weekday=s.weekday,
            start_hour=s.start_hour,
            end_hour=s.end_hour,
            fallback=s.fallback,
        )
        for s in OnCallShift.objects.filter(program_id=program_id)
    ]


def rota_rows(program_id: int) -> list[OnCallShift]:
    rows = list(OnCallShift.objects.filter(program_id=program_id).select_related("user"))
    for row in rows:
        row.label = rota.describe(
            rota.Shift(row.user_id, row.weekday, row.start_hour, row.end_hour, row.fallback)
        )
    return rows


def case_managers_by_name(program_id: int) -> list:
    """The program's active case managers, sorted as people read names (Manager 2 before Manager 10)."""
    users = [
        m.user
        for m in Membership.objects.filter(
            program_id=program_id, role=Role.CASE_MANAGER, is_active=True, user__is_active=True
        ).select_related("user")
    ]
    return sorted(users, key=lambda u: natural_key(str(u)))


def natural_key(text: str) -> tuple:
    """A sort key that orders digits by value: "Case Manager 2" before "Case Manager 10"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", text)
    )


def routable_by_name(program_id: int) -> list:
    """The case managers who can take a hand-off, sorted as people read names."""
    return sorted(routable_case_managers(program_id).values(), key=lambda u: natural_key(str(u)))


def on_call_now(program_id: int, local) -> tuple[list, bool]:
    """Who the rota has on call at this local moment (only those who can sign in), and if the fallback."""
    users = routable_case_managers(program_id)
    shifts = [s for s in rota_shifts(program_id) if s.user_id in users]
    ids, fallback = rota.on_call(shifts, local)
    return [users[pk] for pk in ids], fallback
