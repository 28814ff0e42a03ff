"""The disclosure ledger: every disclosure made under a consent is written and audited here; and the end
of consents whose expiry event happened (an exit, the end of a proceeding), for the actions that cause it."""

import datetime as dt

from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.consent import REDISCLOSURE_NOTICE
from offramp.access.models import Consent, Disclosure
from offramp.access.scope import Actor, trusted


def _disclosure(
    actor: Actor, consent: Consent, description: str, categories: list[str], at: dt.datetime
) -> Disclosure:
    return Disclosure(
        program_id=consent.program_id,
        person_id=consent.person_id,
        consent=consent,
        disclosed_at=at,
        recipient_class=consent.recipient_class,
        recipient_name=consent.recipient_name,
        disclosed_to=actor.user if actor.user_id else None,
        description=description[:300],
        categories=list(categories),
        purpose=consent.purpose,
        notice=REDISCLOSURE_NOTICE,
    )


def disclosure_record(
    *, actor: Actor, consent: Consent, description: str, categories: list[str]
) -> Disclosure:
    """Write one disclosure to the ledger, with its notice, and audit it. Call inside trusted()."""
    disclosure = _disclosure(actor, consent, description, categories, timezone.now())
    disclosure.save(force_insert=True)
    audit_record(
        actor=actor,
        action=Action.DISCLOSE,
        object_type="Person",
        object_id=consent.person_id,
        detail={
            "consent_id": consent.pk,
            "disclosure_id": disclosure.pk,
            "categories": list(categories),
            "person_id": consent.person_id,
        },
    )
    return disclosure


def disclosures_record(
    *, actor: Actor, shown: list[tuple[Consent, list[str]]], description: str
) -> list[Disclosure]:
    """Write a list's disclosures to the ledger, one row per person, in one insert, with one audit
    entry naming them all: a page of participants costs the same queries however many it shows.
    Call inside trusted()."""
    if not shown:
        return []
    at = timezone.now()
    disclosures = Disclosure.objects.bulk_create(
        [_disclosure(actor, consent, description, categories, at) for consent, categories in shown]
    )
    audit_record(
        actor=actor,
        action=Action.DISCLOSE,
        object_type="Person",
        detail={
            "description": description[:300],
            "disclosures": [
                {
                    "disclosure_id": d.pk,
                    "person_id": d.person_id,
                    "consent_id": d.consent_id,
                    "categories": d.categories,
                }
                for d in disclosures
            ],
        },
    )
    return disclosures


def consents_end(*, actor: Actor, consent_ids: list[int], event: str, at: dt.datetime) -> list[int]:
    """The expiry event of these consents happened at `at`: each ends then, audited one by one.
    Consents already ended by their event or revoked are left as they are. Returns the ids ended."""
    with trusted("access.consents_end"):
        ending = list(
            Consent.objects.filter(
                pk__in=consent_ids, expiry_event_at__isnull=True, revoked_at__isnull=True
            ).values_list("pk", "person_id")
        )
        Consent.objects.filter(pk__in=[pk for pk, _person in ending]).update(expiry_event_at=at)
    for pk, person_id in ending:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="Consent",
            object_id=pk,
            detail={"change": "expired", "event": event, "at": at.isoformat(), "person_id": person_id},
        )
    return [pk for pk, _person in ending]


def consents_end_on_exit(*, actor: Actor, person_id: int, at: dt.datetime) -> list[int]:
    """The participant left the program: their consents "until I leave the program" end now."""
    with trusted("access.consents_end_on_exit"):
        ids = list(
            Consent.objects.filter(
                program=actor.program, person_id=person_id, expiry_on=Consent.ExpiryOn.EXIT
            ).values_list("pk", flat=True)
        )
    return consents_end(actor=actor, consent_ids=ids, event=Consent.ExpiryOn.EXIT, at=at)
