"""Changes to staff accounts. Every change is audited."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.accounts.models import FailedLogin
from offramp.accounts.sessions import sessions_end
from offramp.programs.models import Membership, Program

USERNAME_TAKEN = "That username is already in use."


@transaction.atomic
def admin_create(
    *, username: str, email: str, password: str, program_slug: str, program_name: str | None = None,
    time_zone: str = "America/Los_Angeles",
):  # fmt: skip
    """A system administrator for a program, creating the program when it is new."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(USERNAME_TAKEN)
    program = Program.objects.filter(slug=program_slug).first()
    if program is None:
        program = Program(
            slug=program_slug, name=program_name or program_slug, jurisdiction=program_name or program_slug,
            time_zone=time_zone,
        )  # fmt: skip
        program.full_clean()
        program.save()
    user = User.objects.create_user(username=username, email=email, password=password)
    Membership.objects.create(user=user, program=program, role=Role.SYSTEM_ADMIN)
    audit_record(
        actor=Actor.system("createadmin", program=program),
        action=Action.CREATE,
        object_type="Membership",
        object_id=user.pk,
        detail={"role": Role.SYSTEM_ADMIN},
    )
    return user


NOT_LOCKED = "That account is not locked."
ALREADY_DISABLED = "That account is already disabled."
ALREADY_ENABLED = "That account is already enabled."
NOT_YOURSELF = "You cannot disable your own account."


def _staff_member(actor: Actor, user_id: int):
    """A staff account with a role in the actor's program, for an administrator; 404 otherwise."""
    actor.require(Category.USERS, Scope.PROGRAM)
    user = get_user_model().objects.filter(pk=user_id, memberships__program_id=actor.program_id).first()
    if user is None:
        raise Http404("Not found")
    return user


@transaction.atomic
def user_unlock(*, actor: Actor, user_id: int):
    """Release an account locked after failed sign-ins; its failure count starts again."""
    user = _staff_member(actor, user_id)
    if user.locked_at is None:
        raise ValidationError(NOT_LOCKED)
    get_user_model().objects.filter(pk=user.pk).update(locked_at=None)
    FailedLogin.objects.filter(user=user).delete()
    audit_record(actor=actor, action=Action.UNLOCK, object_type="User", object_id=user.pk)
    return user


@transaction.atomic
def user_disable(*, actor: Actor, user_id: int, reason: str = "administrator"):
    """Disable an account and end every session it has, at once."""
    user = _staff_member(actor, user_id)
    if user.pk == actor.user_id:
        raise ValidationError(NOT_YOURSELF)
    if not user.is_active:
        raise ValidationError(ALREADY_DISABLED)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    audit_record(
        actor=actor, action=Action.DISABLE, object_type="User", object_id=user.pk, detail={"reason": reason}
    )
    sessions_end(user, actor=actor, reason="disabled")
    return user


@transaction.atomic
def user_enable(*, actor: Actor, user_id: int):
    user = _staff_member(actor, user_id)
    if user.is_active:
        raise ValidationError(ALREADY_ENABLED)
    # An account idle past the limit would be disabled again at once: count today as its last use.
    get_user_model().objects.filter(pk=user.pk).update(is_active=True, last_login=timezone.now())
    audit_record(actor=actor, action=Action.ENABLE, object_type="User", object_id=user.pk)
    return user


@transaction.atomic
def accounts_expire(*, actor: Actor, now=None) -> dict:
    """Disable accounts unused for ACCOUNT_IDLE_DAYS, and temporary ones past TEMPORARY_ACCOUNT_HOURS.

    Runs for every program (a system job). Each disabled account is audited and its sessions end.
    """
    now = now or timezone.now()
    User = get_user_model()
    idle_before = now - dt.timedelta(days=settings.ACCOUNT_IDLE_DAYS)
    temporary_before = now - dt.timedelta(hours=settings.TEMPORARY_ACCOUNT_HOURS)
    active = User.objects.filter(is_active=True)
    idle = active.filter(
        Q(last_login__lt=idle_before) | Q(last_login__isnull=True, date_joined__lt=idle_before)
    )
    temporary = active.filter(is_temporary=True, date_joined__lt=temporary_before)
    done = {"idle": 0, "temporary": 0}
    for reason, users in (("temporary", temporary), ("idle", idle)):
        for user in list(users.filter(is_active=True)):
            User.objects.filter(pk=user.pk).update(is_active=False)
            audit_record(
                actor=actor, action=Action.DISABLE, object_type="User", object_id=user.pk, program=None,
                detail={"reason": reason},
            )  # fmt: skip
            sessions_end(user, actor=actor, reason=f"disabled ({reason})")
            done[reason] += 1
    return done
