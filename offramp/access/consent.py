"""The one consent check every disclosure passes through (42 CFR Part 2).

`consent_state` is a pure rule over one consent at one moment; `consents_covering`
finds, for some people, the consent (if any) that permits a disclosure of a data
category to a class of recipient now. Callers must treat "no consent" exactly
as "no record": the asker learns nothing either way.
"""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category

# 42 CFR 2.32(a)(1), the notice that accompanies each disclosure made with consent.
REDISCLOSURE_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."


class ConsentState(StrEnum):
    PENDING = "pending"  # signed in the future (recorded ahead of its date)
    ACTIVE = "active"
    EXPIRED = "expired"  # its date passed or its expiry event happened
    REVOKED = "revoked"


def consent_state(consent: Consent, at: dt.datetime) -> ConsentState:
    if consent.revoked_at is not None and consent.revoked_at <= at:
        return ConsentState.REVOKED
    if consent.signed_at > at:
        return ConsentState.PENDING
    ends = [t for t in (consent.expires_at, consent.expiry_event_at) if t is not None]
    if ends and min(ends) <= at:
        return ConsentState.EXPIRED
    return ConsentState.ACTIVE


def consent_permits(consent: Consent, *, recipient_class: str, category: str, at: dt.datetime) -> bool:
    return (
        consent.recipient_class == recipient_class
        and category in (consent.categories or [])
        and consent_state(consent, at) == ConsentState.ACTIVE
    )


def consent_may_revoke(consent: Consent, at: dt.datetime) -> bool:
    """A consent can be revoked unless already ended, or irrevocable while its proceeding lasts (2.35)."""
    if consent_state(consent, at) in (ConsentState.REVOKED, ConsentState.EXPIRED):
        return False
    if consent.irrevocable_until_proceeding_ends:
        return consent.proceeding_ended_at is not None and consent.proceeding_ended_at <= at
    return True


def consents_covering(
    *,
    program_id: int,
    person_ids: Iterable[int],
    recipient_class: str,
    category: str,
    at: dt.datetime | None = None,
) -> dict[int, Consent]:
    """person id -> the most recently signed consent permitting this disclosure now.

    Call inside the access layer's trusted block. The database narrows the
    candidates; `consent_permits` makes the decision, so the rule lives in one place.
    """
    at = at or timezone.now()
    candidates = (
        Consent.objects.filter(
            program_id=program_id,
            person_id__in=list(person_ids),
            recipient_class=recipient_class,
            signed_at__lte=at,
        )
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .order_by("signed_at")
    )
    found: dict[int, Consent] = {}
    for consent in candidates:
        if consent_permits(consent, recipient_class=recipient_class, category=category, at=at):
            found[consent.person_id] = consent
    return found


CATEGORY_LABELS = {
    Category.STATUS: "participation status",
    Category.IDENTITY: "name and date of birth",
    Category.LEGAL: "legal coordination (status and dates)",
    Category.CASE_RECORD: "case record",
    Category.PART2: "substance use treatment information",
}


def consent_scope(consent: Consent) -> str:
    """The consent's scope, in words, to travel with each disclosure."""
    what = ", ".join(CATEGORY_LABELS.get(c, c) for c in consent.categories)
    ends = []
    if consent.expires_at:
        ends.append(f"until {_day(consent.expires_at)}")
    if consent.expiry_event:
        ends.append(f"or {consent.expiry_event}" if ends else f"until {consent.expiry_event}")
    to = consent.recipient_name or consent.get_recipient_class_display()
    scope = f"Consent signed {_day(consent.signed_at)}: {what} to {to} for {consent.purpose}"
    return f"{scope}, {' '.join(ends)}" if ends else scope


def _day(moment: dt.datetime) -> str:
    day = timezone.localdate(moment)
    return f"{day:%b} {day.day}, {day.year}"
