"""A user's own notifications."""

from django.db.models import Q

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, trusted
from offramp.notifications.models import Notification

INBOX_SIZE = 100


def my_notifications(actor: Actor) -> list[Notification]:
    """The newest notices addressed to this user in their active program, unread first."""
    if actor.user_id is None or actor.program_id is None:
        return []
    with trusted("notifications.mine"):
        notices = list(
            Notification.objects.filter(recipient_id=actor.user_id, program_id=actor.program_id).order_by(
                "-created_at", "-id"
            )[:INBOX_SIZE]
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Notification",
        detail={"view": "notifications", "ids": [n.pk for n in notices]},
    )
    notices.sort(key=lambda n: n.read_at is not None)  # stable: unread first, each part newest first
    return notices


def unread_count(actor: Actor) -> int:
    if actor.user_id is None or actor.program_id is None:
        return 0
    with trusted("notifications.unread_count"):
        return Notification.objects.filter(
            Q(read_at__isnull=True), recipient_id=actor.user_id, program_id=actor.program_id
        ).count()
