"""Changes to integrations, and the record every API call leaves. Each is one transaction, audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.models import AuditEntry
from offramp.access.policy import Category, Scope
from offramp.access.rows import program_row
from offramp.access.scope import Actor
from offramp.api import scopes as api_scopes
from offramp.api.models import Integration
from offramp.api.tokens import SHOWN, token_hash, token_new
from offramp.programs.models import Agency

ERR_NAME = "Give the integration a name (up to 100 characters)."
ERR_NAME_TAKEN = "This program already has an integration named {name!r}."
ERR_SCOPES = "Choose at least one scope."
ERR_SCOPE_UNKNOWN = "{scope!r} is not a scope."
ERR_AGENCY = "The agency is not one of this program's agencies."
ERR_AGENCY_NEEDED = "Referral scopes act for an agency: choose the agency."
ERR_EXPIRY = "The expiry must be between 1 and 730 days from today."
ERR_RATE = "The rate limit must be between 1 and 10,000 calls a minute."
MAX_DAYS = 730
WINDOW = dt.timedelta(minutes=1)


def integration_issue(
    *,
    actor: Actor,
    name: str,
    scopes: list[str],
    days: int,
    agency_id: int | None = None,
    rate_per_minute: int = 120,
    now: dt.datetime | None = None,
) -> tuple[Integration, str]:
    """A new integration and its token. The token is returned once and stored only as its hash."""
    actor.require(Category.USERS, Scope.PROGRAM)
    now = now or timezone.now()
    name = (name or "").strip()
    problems = []
    if not name or len(name) > 100:
        problems.append(ERR_NAME)
    if not scopes:
        problems.append(ERR_SCOPES)
    problems += [ERR_SCOPE_UNKNOWN.format(scope=s) for s in scopes if s not in api_scopes.SCOPES]
    agency = None
    if agency_id is not None:
        agency = Agency.objects.filter(program_id=actor.program_id, pk=agency_id).first()
        if agency is None:
            problems.append(ERR_AGENCY)
    elif api_scopes.NEEDS_AGENCY & set(scopes):
        problems.append(ERR_AGENCY_NEEDED)
    if not 1 <= days <= MAX_DAYS:
        problems.append(ERR_EXPIRY)
    if not 1 <= rate_per_minute <= 10_000:
        problems.append(ERR_RATE)
    if problems:
        raise ValidationError(problems)
    token = token_new()
    try:
        with transaction.atomic():
            integration = Integration.objects.create(
                program_id=actor.program_id,
                name=name,
                agency=agency,
                scopes=[s for s in api_scopes.ALL if s in scopes],
                token_hash=token_hash(token),
                token_start=token[:SHOWN],
                rate_per_minute=rate_per_minute,
                created_at=now,
                created_by=actor.user if actor.user_id else None,
                expires_at=now + dt.timedelta(days=days),
            )
            audit_record(
                actor=actor,
                action=Action.CREDENTIAL,
                object_type="Integration",
                object_id=integration.pk,
                detail={
                    "issued": integration.name,
                    "scopes": integration.scopes,
                    "agency": agency.name if agency else None,
                    "expires_at": integration.expires_at.isoformat(),
                },
            )
    except IntegrityError:
        raise ValidationError(ERR_NAME_TAKEN.format(name=name)) from None
    return integration, token


def integration_revoke(*, actor: Actor, integration_id: int, now: dt.datetime | None = None) -> Integration:
    """Revoke an integration's token at once. Revoking twice keeps the first time."""
    actor.require(Category.USERS, Scope.PROGRAM)
    now = now or timezone.now()
    with transaction.atomic():
        integration = program_row(actor, Integration, integration_id)
        if integration.revoked_at is None:
            integration.revoked_at = now
            integration.revoked_by = actor.user if actor.user_id else None
            integration.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(
                actor=actor,
                action=Action.CREDENTIAL,
                object_type="Integration",
                object_id=integration.pk,
                detail={"revoked": integration.name},
            )
    return integration


def integration_take_call(*, integration: Integration, now: dt.datetime | None = None) -> int:
    """Count one call against the integration's one-minute window; returns the calls in the window
    including this one (over `rate_per_minute` means refuse). One UPDATE in the common case."""
    now = now or timezone.now()
    start = now.replace(second=0, microsecond=0)
    rows = Integration.objects.filter(pk=integration.pk, window_start=start)
    if rows.update(window_calls=F("window_calls") + 1, last_used_at=now):
        return Integration.objects.filter(pk=integration.pk).values_list("window_calls", flat=True)[0]
    # A new window: the first writer resets it; a racing second one then counts on top.
    updated = Integration.objects.filter(pk=integration.pk).exclude(window_start=start)
    if updated.update(window_start=start, window_calls=1, last_used_at=now):
        return 1
    return integration_take_call(integration=integration, now=now)


def api_call_record(
    *, actor: Actor, method: str, path: str, status: int, operation: str = "", detail: dict | None = None
) -> None:
    """One audit entry per API call, under the integration's name, whatever its outcome."""
    if status < 400:
        outcome = AuditEntry.Outcome.OK
    elif status == 404:
        outcome = AuditEntry.Outcome.NOT_FOUND
    elif status in (401, 403, 429):
        outcome = AuditEntry.Outcome.DENIED
    else:
        outcome = AuditEntry.Outcome.FAILED
    audit_record(
        actor=actor,
        action=Action.API_CALL,
        object_type="API",
        object_id=operation,
        outcome=outcome,
        detail={"method": method, "path": path[:200], "status": status, **(detail or {})},
    )
