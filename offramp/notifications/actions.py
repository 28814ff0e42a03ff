"""Sending notifications: one row in the recipient's inbox, and an email after the transaction commits."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, action, trusted
from offramp.notifications.models import Notification

log = logging.getLogger(__name__)


def notification_send(
    *,
    actor: Actor,
    recipient: AbstractBaseUser,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    email_body: str = "",
    now: dt.datetime | None = None,
) -> Notification | None:
    """Put a notice in `recipient`'s inbox and email them; None when a notice with this key was sent before.

    The email is deliberately thin (`email_body`, no names): mail leaves the system, so it says
    what kind of thing happened and links to the app, where the recipient's own access applies.
    """
    now = now or timezone.now()
    with trusted("notifications.send"):
        if key and Notification.objects.filter(recipient=recipient, key=key).exists():
            return None
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    program=actor.program,
                    recipient=recipient,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:200],
                    key=key[:100],
                    created_at=now,
                )
                audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    object_type="Notification",
                    object_id=notification.pk,
                    detail={"kind": kind, "recipient": recipient.pk},
                )
        except IntegrityError:
            return None  # a concurrent run sent it first
    if recipient.email:
        subject = f"[offramp] {Notification.Kind(kind).label}"
        text = (email_body or title) + (f"\n\nOpen offramp: {absolute_url(url)}" if url else "")
        transaction.on_commit(lambda: _email(subject, text, recipient.email))
    return notification


@action("notifications.mark_read")
def notification_mark_read(*, actor: Actor, notification_id: int, now: dt.datetime | None = None) -> None:
    updated = Notification.objects.filter(
        pk=notification_id, recipient_id=actor.user_id, program_id=actor.program_id, read_at__isnull=True
    ).update(read_at=now or timezone.now())
    if updated:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="Notification",
            object_id=notification_id,
            detail={"read": True},
        )


def absolute_url(url: str) -> str:
    """An in-app path as an address a mail app can open (OFFRAMP_BASE_URL)."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.BASE_URL}/{url.lstrip('/')}"


def _email(subject: str, text: str, address: str) -> None:
    # The in-app notice is the record; a mail server being down must not undo a referral.
    try:
        send_mail(subject, text, None, [address])
    except Exception:  # any transport failure
        log.exception("could not email a notification to %s", address)
