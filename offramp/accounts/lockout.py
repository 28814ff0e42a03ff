"""Five failed sign-ins within 15 minutes lock an account until an administrator releases it (CJIS 5.5.3).

Wrong passwords and wrong second-factor codes count together.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.models import AuditEntry
from offramp.access.scope import Actor
from offramp.accounts.models import FailedLogin

ACCOUNT_LOCKED = (
    "Sign-in refused after repeated failed attempts. Ask your program's administrator to release it."
)


def account_for_login(login: str):
    """The one account a sign-in name (username or email) refers to, or None."""
    if not login:
        return None
    matches = list(
        get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login.strip()))[:2]
    )
    return matches[0] if len(matches) == 1 else None


def login_failure_record(*, login: str, source_address: str = "") -> bool:
    """Count a failed password against the account its sign-in name refers to. True if this locked it."""
    user = account_for_login(login)
    return False if user is None else failure_record(user, source_address=source_address)


@transaction.atomic
def failure_record(user, *, source_address: str = "") -> bool:
    """Count one failure (a wrong password or a wrong second-factor code) against an account; lock the
    account at the threshold. Both kinds share one count, so a stolen password does not buy five more
    guesses at the code. Returns True when this failure locked the account.
    """
    now = timezone.now()
    FailedLogin.objects.create(user=user, at=now)
    window = now - dt.timedelta(minutes=settings.LOCKOUT_WINDOW_MINUTES)
    recent = FailedLogin.objects.filter(user=user, at__gte=window).count()
    user.refresh_from_db(fields=["locked_at"])
    if user.locked_at is None and recent >= settings.LOCKOUT_THRESHOLD:
        type(user).objects.filter(pk=user.pk).update(locked_at=now)
        user.locked_at = now
        audit_record(
            actor=Actor(user=None, program=None, source_address=source_address, label="system:lockout"),
            action=Action.LOCK,
            object_type="User",
            object_id=user.pk,
            detail={"failures": recent, "window_minutes": settings.LOCKOUT_WINDOW_MINUTES},
        )
        return True
    return False


@transaction.atomic
def second_factor_failure_record(user, *, source_address: str = "", reauthentication: bool = False) -> bool:
    """A wrong authenticator or recovery code: audited as a failed sign-in, and counted toward the lockout."""
    audit_record(
        actor=Actor(user=user, program=None, source_address=source_address),
        action=Action.LOGIN_FAILED,
        object_type="User",
        object_id=user.pk,
        outcome=AuditEntry.Outcome.FAILED,
        detail={"factor": "second", "reauthentication": reauthentication},
    )
    return failure_record(user, source_address=source_address)
