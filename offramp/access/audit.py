"""Writing the audit log. Called by the queries and actions layers, never by views."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404
from django.utils import timezone

from offramp.access.chain import content_digest, normalised_detail
from offramp.access.models import AuditEntry
from offramp.access.scope import Actor
from offramp.programs.models import Program

HEAD_ID = 1  # the one AuditChainHead row


class Action:
    READ = "read"
    LIST = "list"
    SEARCH = "search"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    SEED = "seed"
    DISCLOSE = "disclose"
    LOCK = "lock"
    UNLOCK = "unlock"
    DISABLE = "disable"
    ENABLE = "enable"
    CREDENTIAL = "credential"  # password or authenticator added, changed or removed
    ROLE_CHANGE = "role_change"
    PROGRAM_SWITCH = "program_switch"  # a user in several programs chose the one they work in
    SESSION_END = "session_end"  # idle or absolute time-out, forced re-authentication
    KEY_ROTATE = "key_rotate"
    API_CALL = "api_call"  # one call of an integration to /api/v1/, under its name


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = AuditEntry.Outcome.OK,
    detail: dict[str, Any] | None = None,
    program: Program | None = None,
) -> AuditEntry:
    """Append one entry to the log. A failure to write raises, so the request fails with it.

    The entry is inserted with its content hash and no lock: concurrent requests append in
    parallel, and the sealer (offramp/access/seal.py) links it into the chain shortly after.
    """
    user = actor.user if getattr(actor.user, "pk", None) else None
    label = actor.label or (user.get_username() if user else "anonymous")
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_label=label[:150],
        program=program if program is not None else actor.program,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        source_address=actor.source_address[:64],
        outcome=outcome,
        detail=normalised_detail(detail),
    )
    entry.content_hash = content_digest(entry)
    entry.save(force_insert=True)
    return entry


class AuditedNotFound(Http404):
    """A refusal answered as "not found", whose audit entry is already written; it carries how to
    write that entry again, for an action whose transaction rolls back with the refusal."""

    def __init__(self, record_again: Callable[[], object]):
        super().__init__("Not found")
        self.record_again = record_again


def audited_not_found(
    actor: Actor,
    object_type: str,
    object_id: object,
    *,
    detail: dict[str, Any] | None = None,
    action: str = Action.READ,
) -> Http404:
    """Record a read refused as not found and return the 404 to raise: outside the actor's scope and
    absent answer the same."""

    def record() -> AuditEntry:
        return audit_record(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            outcome=AuditEntry.Outcome.NOT_FOUND,
            detail=detail,
        )

    record()
    return AuditedNotFound(record)


T = TypeVar("T")


def read_or_not_found(
    actor: Actor,
    found: T | None,
    object_type: str,
    object_id: object,
    *,
    detail: dict[str, Any] | None = None,
    action: str = Action.READ,
) -> T:
    """Audit one object's read, `found` or refused (absent and out of reach answer the same), and
    return it, or raise the audited 404."""
    if found is None:
        raise audited_not_found(actor, object_type, object_id, detail=detail, action=action)
    audit_record(actor=actor, action=action, object_type=object_type, object_id=object_id, detail=detail)
    return found
