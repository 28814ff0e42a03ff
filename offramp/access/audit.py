"""Writing the audit log. Called by the queries and actions layers, never by views."""

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor


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


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = AuditEntry.Outcome.OK,
    detail: dict | None = None,
    program=None,
) -> AuditEntry:
    """Append one entry. A failure to write raises, so the request fails with it."""
    user = actor.user if getattr(actor.user, "pk", None) else None
    label = actor.label or (user.get_username() if user else "anonymous")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        program=program if program is not None else actor.program,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        source_address=actor.source_address[:64],
        outcome=outcome,
        detail=detail or {},
    )
