"""Log-ons, failures and log-outs go to the audit log (CJIS AU-2)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from offramp.access.audit import Action, audit_record
from offramp.access.middleware import client_address
from offramp.access.models import AuditEntry
from offramp.access.scope import Actor


def _actor(request: HttpRequest | None, user: Any = None, label: str = "") -> Actor:
    address = client_address(request) if request is not None else ""
    return Actor(user=user, program=None, source_address=address, label=label)


@receiver(user_logged_in)
def audit_login(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=_actor(request, user), action=Action.LOGIN, object_type="User", object_id=user.pk)


@receiver(user_logged_out)
def audit_logout(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=_actor(request, user), action=Action.LOGOUT, object_type="User", object_id=user.pk)


@receiver(user_login_failed)
def audit_login_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Record the name that was tried, never the password.
    tried = str(credentials.get("username") or credentials.get("email") or "")[:150]
    audit_record(
        actor=_actor(request, label=f"unauthenticated:{tried}"),
        action=Action.LOGIN_FAILED,
        object_type="User",
        outcome=AuditEntry.Outcome.FAILED,
    )
