"""Changes to staff accounts. Every change is audited."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.accounts.models import FailedLogin, User
from offramp.accounts.sessions import sessions_end
from offramp.programs.models import Agency, Membership, Program
from offramp.programs.roles import Role

USERNAME_TAKEN = "That username is already in use."


@transaction.atomic
def admin_create(
    *,
    username: str,
    email: str,
    password: str,
    program_slug: str,
    program_name: str | None = None,
    time_zone: str = "America/Los_Angeles",
    host: bool = False,
) -> User:
    """A system administrator for a program, creating the program when it is new; `host` makes them
    the deployment's host administrator too (programs and their first project manager, on a page)."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(USERNAME_TAKEN)
    program = Program.objects.filter(slug=program_slug).first()
    if program is None:
        program = Program(
            slug=program_slug,
            name=program_name or program_slug,
            jurisdiction=program_name or program_slug,
            time_zone=time_zone,
        )
        program.full_clean()
        program.save()
    user = User.objects.create_user(username=username, email=email, password=password, is_host_admin=host)
    Membership.objects.create(user=user, program=program, role=Role.SYSTEM_ADMIN)
    audit_record(
        actor=Actor.system("createadmin", program=program),
        action=Action.CREATE,
        object_type="Membership",
        object_id=user.pk,
        detail={"role": Role.SYSTEM_ADMIN, **({"host_admin": True} if host else {})},
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
def user_unlock(*, actor: Actor, user_id: int) -> User:
    """Release an account locked after failed sign-ins; its failure count starts again."""
    user = _staff_member(actor, user_id)
    if user.locked_at is None:
        raise ValidationError(NOT_LOCKED)
    get_user_model().objects.filter(pk=user.pk).update(locked_at=None)
    FailedLogin.objects.filter(user=user).delete()
    audit_record(actor=actor, action=Action.UNLOCK, object_type="User", object_id=user.pk)
    return user


@transaction.atomic
def user_disable(*, actor: Actor, user_id: int, reason: str = "administrator") -> User:
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
def user_enable(*, actor: Actor, user_id: int) -> User:
    user = _staff_member(actor, user_id)
    if user.is_active:
        raise ValidationError(ALREADY_ENABLED)
    # An account idle past the limit would be disabled again at once: count today as its last use.
    get_user_model().objects.filter(pk=user.pk).update(is_active=True, last_login=timezone.now())
    audit_record(actor=actor, action=Action.ENABLE, object_type="User", object_id=user.pk)
    return user


@transaction.atomic
def accounts_expire(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, list[str]]:
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
                actor=actor,
                action=Action.DISABLE,
                object_type="User",
                object_id=user.pk,
                program=None,
                detail={"reason": reason},
            )
            sessions_end(user, actor=actor, reason=f"disabled ({reason})")
            done[reason] += 1
    return done


# ---- staff accounts and their roles in the program ---------------------------------------------------

ROLE_HELD = "{user} already has that role."
ROLE_NOT_HELD = "{user} does not have that role."
ROLE_UNKNOWN = "Choose one of the program's roles."
LAST_ROLE = "This is {user}'s only role in the program. Disable the account instead."
NOT_OWN_ADMIN_ROLE = "You cannot remove your own administrator role: ask another administrator."
AGENCY_UNKNOWN = "Choose one of the program's agencies."
USERNAME_INVALID = "A username is letters, digits and @ . + - _ only, at most 150 characters."
EMAIL_TAKEN = "That email address is already in use."


def _agency(actor: Actor, agency_id):
    if agency_id in (None, ""):
        return None
    agency = Agency.objects.filter(pk=agency_id, program_id=actor.program_id).first()
    if agency is None:
        raise ValidationError(AGENCY_UNKNOWN)
    return agency


def _role_changed(actor: Actor, user, *, change: str, role: str) -> None:
    """Audit the change, then end the user's sessions: their next request signs in again (CJIS 5.5)."""
    audit_record(
        actor=actor,
        action=Action.ROLE_CHANGE,
        object_type="User",
        object_id=user.pk,
        detail={"change": change, "role": role},
    )
    sessions_end(user, actor=actor, reason="role_change")


@transaction.atomic
def role_add(*, actor: Actor, user_id: int, role: str, agency_id: int | None = None) -> Membership:
    """Give a staff member of the program another role there."""
    user = _staff_member(actor, user_id)
    if role not in Role.values:
        raise ValidationError(ROLE_UNKNOWN)
    agency = _agency(actor, agency_id)
    if Membership.objects.filter(user=user, program_id=actor.program_id, role=role).exists():
        raise ValidationError(ROLE_HELD.format(user=user))
    membership = Membership.objects.create(user=user, program_id=actor.program_id, role=role, agency=agency)
    _role_changed(actor, user, change="added", role=role)
    return membership


@transaction.atomic
def role_remove(*, actor: Actor, user_id: int, role: str) -> User:
    """Take a role in the program from a staff member (never their last one, nor an administrator's own)."""
    user = _staff_member(actor, user_id)
    roles = Membership.objects.filter(user=user, program_id=actor.program_id)
    membership = roles.filter(role=role).first()
    if membership is None:
        raise ValidationError(ROLE_NOT_HELD.format(user=user))
    if user.pk == actor.user_id and role == Role.SYSTEM_ADMIN:
        raise ValidationError(NOT_OWN_ADMIN_ROLE)
    if roles.count() == 1:
        raise ValidationError(LAST_ROLE.format(user=user))
    membership.delete()
    _role_changed(actor, user, change="removed", role=role)
    return user


def account_problems(
    *, username: str, email: str, password: str, first_name: str, last_name: str
) -> list[str]:
    """Every reason a new account with these details cannot be made (an empty list when it can).

    Usernames and emails are unique without regard to case: sign-in accepts either, so each must name
    one account. The password goes through the site's validators, which compare it with the names."""
    User = get_user_model()
    errors = []
    try:
        UnicodeUsernameValidator()(username)
        if not username or len(username) > 150:
            raise ValidationError(USERNAME_INVALID)
    except ValidationError:
        errors.append(USERNAME_INVALID)
    else:
        if User.objects.filter(username__iexact=username).exists():
            errors.append(USERNAME_TAKEN)
    if email and User.objects.filter(email__iexact=email).exists():
        errors.append(EMAIL_TAKEN)
    candidate = User(
        username=username, email=email, first_name=first_name.strip(), last_name=last_name.strip()
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors.extend(exc.messages)
    return errors


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    role: str,
    agency_id: int | None = None,
    temporary: bool = False,
) -> User:
    """A new staff account with one role in the administrator's program.

    The password is a first one the administrator hands over; the second factor is set up by the
    user at first sign-in. A temporary account is disabled TEMPORARY_ACCOUNT_HOURS after creation.
    """
    actor.require(Category.USERS, Scope.PROGRAM)
    User = get_user_model()
    username, email = username.strip(), email.strip()
    errors = account_problems(
        username=username, email=email, password=password, first_name=first_name, last_name=last_name
    )
    if role not in Role.values:
        errors.append(ROLE_UNKNOWN)
    try:
        agency = _agency(actor, agency_id)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_temporary=temporary,
        must_change_password=True,  # the administrator knows it: the user replaces it at first sign-in
    )
    Membership.objects.create(user=user, program_id=actor.program_id, role=role, agency=agency)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="User",
        object_id=user.pk,
        detail={"role": role, "temporary": temporary},
    )
    return user


@transaction.atomic
def password_changed_record(*, user, source_address: str = "") -> None:
    """The user changed their own password: a password an administrator set is no longer in use."""
    get_user_model().objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    audit_record(
        actor=Actor(user=user, program=None, source_address=source_address),
        action=Action.CREDENTIAL,
        object_type="User",
        object_id=user.pk,
        detail={"change": "password changed by its user"},
    )
