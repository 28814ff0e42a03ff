"""Changes to consents, and the disclosure ledger. Every change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.consent import REDISCLOSURE_NOTICE, ConsentState, consent_may_revoke, consent_state
from offramp.access.models import Consent, Disclosure
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted

CONSENT_IRREVOCABLE = (
    "This consent cannot be revoked until the court proceeding it supports has ended (42 CFR 2.35). "
    "Record the end of the proceeding first."
)
CONSENT_ALREADY_ENDED = "This consent has already been revoked or has expired."
NOT_IRREVOCABLE = "This consent can be revoked at any time; it has no proceeding to end."


def _consent_for_staff(actor: Actor, consent_id: int) -> Consent:
    """A consent of a participant whose case the actor may open; 404 otherwise."""
    from offramp.cases.models import Case

    scope = actor.require(Category.CASE_RECORD, Scope.OWN)
    consent = Consent.objects.select_for_update().filter(pk=consent_id, program_id=actor.program_id).first()
    if consent is None:
        raise Http404("Not found")
    if scope < Scope.PROGRAM:
        mine = Case.objects.filter(program_id=actor.program_id, person_id=consent.person_id,
                                   case_manager_id=actor.user_id)  # fmt: skip
        if not mine.exists():
            raise Http404("Not found")
    return consent


def consent_revoke(*, actor: Actor, consent_id: int, note: str = "") -> Consent:
    """Revoke a consent now: the very next disclosure it would have allowed is refused."""
    with transaction.atomic(), trusted("access.consent_revoke"):
        consent = _consent_for_staff(actor, consent_id)
        now = timezone.now()
        if consent_state(consent, now) in (ConsentState.REVOKED, ConsentState.EXPIRED):
            raise ValidationError(CONSENT_ALREADY_ENDED)
        if not consent_may_revoke(consent, now):
            raise ValidationError(CONSENT_IRREVOCABLE)
        Consent.objects.filter(pk=consent.pk).update(revoked_at=now, revocation_note=note[:300])
        audit_record(actor=actor, action=Action.UPDATE, object_type="Consent", object_id=consent.pk,
                     detail={"change": "revoked", "person_id": consent.person_id})  # fmt: skip
        consent.revoked_at = now
    return consent


def consent_proceeding_end(*, actor: Actor, consent_id: int) -> Consent:
    """Record that the proceeding an irrevocable consent supports has ended; it becomes revocable."""
    with transaction.atomic(), trusted("access.consent_proceeding_end"):
        consent = _consent_for_staff(actor, consent_id)
        if not consent.irrevocable_until_proceeding_ends:
            raise ValidationError(NOT_IRREVOCABLE)
        now = timezone.now()
        Consent.objects.filter(pk=consent.pk).update(proceeding_ended_at=now)
        audit_record(actor=actor, action=Action.UPDATE, object_type="Consent", object_id=consent.pk,
                     detail={"change": "proceeding_ended", "person_id": consent.person_id})  # fmt: skip
        consent.proceeding_ended_at = now
    return consent


def disclosure_record(*, actor: Actor, consent: Consent, description: str, categories: list) -> Disclosure:
    """Write one disclosure to the ledger, with its notice, and audit it. Call inside trusted()."""
    disclosure = Disclosure.objects.create(
        program_id=consent.program_id, person_id=consent.person_id, consent=consent,
        disclosed_at=timezone.now(), recipient_class=consent.recipient_class,
        recipient_name=consent.recipient_name, disclosed_to=actor.user if actor.user_id else None,
        description=description[:300], categories=list(categories), purpose=consent.purpose,
        notice=REDISCLOSURE_NOTICE,
    )  # fmt: skip
    audit_record(
        actor=actor, action=Action.DISCLOSE, object_type="Person", object_id=consent.person_id,
        detail={"consent_id": consent.pk, "disclosure_id": disclosure.pk, "categories": list(categories),
                "person_id": consent.person_id},
    )  # fmt: skip
    return disclosure
