"""Five failed sign-ins within 15 minutes lock an account until an administrator releases it (CJIS 5.5.3)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor
from offramp.accounts.models import FailedLogin

ACCOUNT_LOCKED = (
    "This account is locked after repeated failed sign-ins. Ask your program's administrator to release it."
)


def account_for_login(login: str):
    """The one account a sign-in name (username or email) refers to, or None."""
    if not login:
        return None
    matches = list(
        get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login.strip()))[:2]
    )
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def login_failure_record(*, login: str, source_address: str = "") -> bool:
    """Count a failed sign-in against the account it names; lock the account at the threshold.

    Returns True when this failure locked the account.
    """
    user = account_for_login(login)
    if user is None:
        return False
    now = timezone.now()
    FailedLogin.objects.create(user=user, at=now)
    window = now - dt.timedelta(minutes=settings.LOCKOUT_WINDOW_MINUTES)
    recent = FailedLogin.objects.filter(user=user, at__gte=window).count()
    if user.locked_at is None and recent >= settings.LOCKOUT_THRESHOLD:
        type(user).objects.filter(pk=user.pk).update(locked_at=now)
        audit_record(
            actor=Actor(user=None, program=None, source_address=source_address, label="system:lockout"),
            action=Action.LOCK, object_type="User", object_id=user.pk,
            detail={"failures": recent, "window_minutes": settings.LOCKOUT_WINDOW_MINUTES},
        )  # fmt: skip
        return True
    return False
