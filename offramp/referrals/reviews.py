"""Decisions that need someone else: a referral whose decision "needs review by" a role waits in that
role's review queue until a holder of the role approves or declines it, with a reason.

The queue shows the incident (way in, offence, incident number, place, officer) and what is still to
check, never the person's name or date of birth: the reviewing role (a sergeant, the prosecutor) may
not see identity. The officer who referred and the case manager are told of the outcome.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.policy import reviewer_roles
from offramp.access.scope import Actor, action, trusted
from offramp.cases.models import Case
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.referrals.eligibility import NEEDS_REVIEW, ROLE_LABELS
from offramp.referrals.models import Referral

APPROVED, DECLINED = "approved", "declined"
OUTCOME_WORDS = {APPROVED: "approved", DECLINED: "declined"}
QUEUE_LIMIT = 100
ERR_OUTCOME = "Choose approve or decline."
ERR_REASON_NEEDED = "Give the reason for declining: the officer and the case manager read it."
ERR_DECIDED = "This referral was already reviewed."


def _waiting(actor: Actor) -> QuerySet[Referral]:
    roles = sorted(reviewer_roles(actor))
    return Referral.objects.filter(
        program_id=actor.program_id, decision=NEEDS_REVIEW, review_outcome="", decision_review_by__in=roles
    )


def review_queue_for(actor: Actor) -> list[dict]:
    """The referrals waiting for one of the actor's roles, oldest first; 404 to a role reviewing nothing."""
    if not reviewer_roles(actor):
        raise audited_not_found(actor, "ReviewQueue", "")
    with trusted("referrals.review_queue_for"):
        referrals = list(
            _waiting(actor).select_related("referring_officer").order_by("referred_at", "id")[:QUEUE_LIMIT]
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Referral",
        detail={"view": "review_queue", "ids": [r.pk for r in referrals]},
    )
    return [_item(r) for r in referrals]


def _item(referral: Referral) -> dict:
    officer = referral.referring_officer
    return {
        "referral": referral,
        "role_label": ROLE_LABELS.get(referral.decision_review_by, referral.decision_review_by),
        "officer": (officer.get_full_name() or officer.get_username()) if officer else "",
        "to_check": [r["message"] for r in referral.decision_reasons if r.get("outcome") == NEEDS_REVIEW],
        "met": [r["message"] for r in referral.decision_reasons if r.get("outcome") == "eligible"],
    }


@action("referrals.referral_review")
def referral_review(
    *, actor: Actor, referral_id: int, outcome: str, reason: str, now: dt.datetime | None = None
) -> Referral:
    """Approve or decline a decision waiting for one of the actor's roles; tell the officer and the
    case manager; audited. A referral not waiting for the actor answers 404, as one that does not exist."""
    now = now or timezone.now()
    reason = reason.strip()
    if outcome not in OUTCOME_WORDS:
        raise ValidationError(ERR_OUTCOME)
    if outcome == DECLINED and not reason:
        raise ValidationError(ERR_REASON_NEEDED)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .filter(
            program_id=actor.program_id, decision=NEEDS_REVIEW, decision_review_by__in=reviewer_roles(actor)
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise audited_not_found(actor, "Referral", referral_id)
    if referral.review_outcome:
        raise ValidationError(ERR_DECIDED)
    referral.review_outcome = outcome
    referral.review_reason = reason
    referral.reviewed_at = now
    referral.reviewed_by = actor.user
    referral.save(update_fields=["review_outcome", "review_reason", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Referral",
        object_id=referral.pk,
        detail={"review": outcome, "review_by": referral.decision_review_by},
    )
    _tell(actor, referral, now)
    return referral


def _tell(actor: Actor, referral: Referral, now: dt.datetime) -> None:
    role = ROLE_LABELS.get(referral.decision_review_by, referral.decision_review_by)
    what = f"{referral.get_door_display()}" + (
        f" {referral.incident_number}" if referral.incident_number else ""
    )
    title = f"Referral {OUTCOME_WORDS[referral.review_outcome]} by {role}: {what}"
    body = f"Reason: {referral.review_reason}" if referral.review_reason else ""
    case = (
        Case.objects.filter(program_id=actor.program_id, referral=referral)
        .select_related("case_manager")
        .first()
    )
    manager = (case.case_manager if case else None) or referral.handoff_to
    recipients = [
        (referral.referring_officer, reverse("referrals:mine")),
        (manager, reverse("cases:detail", args=[case.pk]) if case else ""),
    ]
    seen = set()
    for user, url in recipients:
        if user is None or user.pk in seen or user.pk == actor.user_id:
            continue
        seen.add(user.pk)
        notification_send(
            actor=actor,
            recipient=user,
            kind=Notification.Kind.REVIEW_DECIDED,
            title=title,
            body=body,
            url=url,
            key=f"review:{referral.pk}",
            now=now,
        )
