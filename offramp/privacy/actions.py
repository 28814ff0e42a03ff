"""Changes to a participant's consents, by their case team. Every change is audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from offramp.access.actions import consents_end
from offramp.access.audit import Action, audit_record
from offramp.access.consent import ConsentState, consent_may_revoke, consent_state
from offramp.access.models import Consent
from offramp.access.policy import Category, Scope, case_team_scope
from offramp.access.scope import Actor, action
from offramp.cases.models import Case
from offramp.cases.queries import case_for

CONSENT_IRREVOCABLE = (
    "This consent cannot be revoked until the court proceeding it supports has ended (42 CFR 2.35). "
    "Record the end of the proceeding first."
)
CONSENT_ALREADY_ENDED = "This consent has already been revoked or has expired."
NOT_IRREVOCABLE = "This consent can be revoked at any time; it has no proceeding to end."

# Recording a consent: each 42 CFR 2.31 element must be present.
CONSENT_NO_CATEGORIES = "Choose at least one kind of information the participant agreed to disclose."
CONSENT_UNKNOWN_CATEGORY = "One of the chosen kinds of information cannot be disclosed under a consent."
CONSENT_UNKNOWN_RECIPIENT = "Choose who receives the information."
CONSENT_NO_DISCLOSER = "Say who may disclose the information (the program, or named staff)."
CONSENT_NO_PURPOSE = "Say what the disclosure is for."
CONSENT_NO_REVOCATION_TERMS = "Say how the participant may revoke this consent."
CONSENT_NO_EXPIRY = "Give the date or the event on which this consent ends (or both)."
CONSENT_UNKNOWN_EVENT = "Choose the exit or the end of the proceeding, or give the event in words."
CONSENT_EXPIRY_BEFORE_SIGNATURE = "The consent must end after the day it was signed."
CONSENT_NO_SIGNATURE = "Say who signed the consent (the participant, or their legal representative)."
CONSENT_SIGNED_IN_FUTURE = "The signature date cannot be in the future."
CONSENT_IRREVOCABLE_NOT_PROSECUTOR = (
    "Only a consent to the liaison prosecutor's office for monitoring a court proceeding can be "
    "irrevocable until the proceeding ends (42 CFR 2.35)."
)
CONSENT_TOO_LONG = "{field} is too long: at most {limit} characters."

# What a consent may cover: information about the participant that leaves the case team.
CONSENT_CATEGORIES = (
    Category.STATUS,
    Category.IDENTITY,
    Category.LEGAL,
    Category.CASE_RECORD,
    Category.PART2,
)


def consent_team_scope(actor: Actor) -> Scope:
    """Consents are the case team's to record and change: a case manager's own caseload, a supervisor's
    program. Other roles that read case records (the project manager) do not change them."""
    return case_team_scope(actor)


def _check_text(errors: list, value: str, *, field: str, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value and missing:
        errors.append(missing)
    elif len(value) > limit:
        errors.append(CONSENT_TOO_LONG.format(field=field, limit=limit))
    return value


@action("access.consent_record")
def consent_record(
    *,
    actor: Actor,
    case_id: int,
    categories: list,
    recipient_class: str,
    recipient_name: str = "",
    purpose: str,
    discloser: str,
    revocation_terms: str,
    irrevocable_until_proceeding_ends: bool = False,
    expires_on: dt.date | None = None,
    expiry_event: str = "",
    expiry_on: str = "",
    signed_by: str,
    signed_on: dt.date,
) -> Consent:
    """Record a signed consent of the case's participant, with every element 42 CFR 2.31 names.

    The case team only (own caseload or, for a supervisor, the program); anyone else gets 404.
    A consent signed today takes effect at once: the next disclosure it covers is answered.
    """
    case = case_for(actor, case_id, change=True, related=()).case  # the case team's (consent_team_scope)

    errors = []
    categories = list(dict.fromkeys(categories or []))
    if not categories:
        errors.append(CONSENT_NO_CATEGORIES)
    elif any(c not in CONSENT_CATEGORIES for c in categories):
        errors.append(CONSENT_UNKNOWN_CATEGORY)
    if recipient_class not in Consent.Recipient.values:
        errors.append(CONSENT_UNKNOWN_RECIPIENT)
    recipient_name = _check_text(errors, recipient_name, field="Recipient", limit=200, missing="")
    discloser = _check_text(errors, discloser, field="Who discloses", limit=200, missing=CONSENT_NO_DISCLOSER)
    purpose = _check_text(errors, purpose, field="Purpose", limit=200, missing=CONSENT_NO_PURPOSE)
    revocation_terms = _check_text(
        errors, revocation_terms, field="Revocation", limit=2000, missing=CONSENT_NO_REVOCATION_TERMS
    )
    expiry_event = _check_text(errors, expiry_event, field="Expiry event", limit=200, missing="")
    expiry_on = expiry_on or ""
    if expiry_on and expiry_on not in Consent.ExpiryOn.values:
        errors.append(CONSENT_UNKNOWN_EVENT)
    elif expiry_on and not expiry_event:
        expiry_event = Consent.ExpiryOn(expiry_on).label  # the wording printed on the form
    signed_by = _check_text(errors, signed_by, field="Signed by", limit=200, missing=CONSENT_NO_SIGNATURE)
    if irrevocable_until_proceeding_ends and recipient_class != Consent.Recipient.PROSECUTOR:
        errors.append(CONSENT_IRREVOCABLE_NOT_PROSECUTOR)
    zone = actor.program.zone
    today = timezone.localdate(timezone=zone)
    if signed_on is None or signed_on > today:
        errors.append(CONSENT_SIGNED_IN_FUTURE)
    if expires_on is None and not expiry_event:
        errors.append(CONSENT_NO_EXPIRY)
    elif expires_on is not None and signed_on is not None and expires_on <= signed_on:
        errors.append(CONSENT_EXPIRY_BEFORE_SIGNATURE)
    if errors:
        raise ValidationError(errors)

    # Signed at the start of its local day (so a consent signed today is in force now); it ends at the
    # end of its expiry day.
    consent = Consent.objects.create(
        program_id=actor.program_id,
        person_id=case.person_id,
        discloser=discloser,
        categories=categories,
        recipient_class=recipient_class,
        recipient_name=recipient_name,
        purpose=purpose,
        revocation_terms=revocation_terms,
        irrevocable_until_proceeding_ends=irrevocable_until_proceeding_ends,
        expires_at=dt.datetime.combine(expires_on, dt.time.max, zone) if expires_on else None,
        expiry_event=expiry_event,
        expiry_on=expiry_on,
        signed_by=signed_by,
        signed_at=dt.datetime.combine(signed_on, dt.time.min, zone),
        recorded_by=actor.user if actor.user_id else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="Consent",
        object_id=consent.pk,
        detail={
            "person_id": case.person_id,
            "case_id": case.pk,
            "recipient_class": recipient_class,
            "categories": categories,
            "irrevocable": irrevocable_until_proceeding_ends,
        },
    )
    return consent


def _consent_for_staff(actor: Actor, consent_id: int) -> Consent:
    """A consent of a participant on the actor's caseload (a supervisor: in the program); 404 otherwise."""
    scope = consent_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    consent = Consent.objects.select_for_update().filter(pk=consent_id, program_id=actor.program_id).first()
    if consent is None:
        raise Http404("Not found")
    if scope < Scope.PROGRAM:
        mine = Case.objects.filter(
            program_id=actor.program_id, person_id=consent.person_id, case_manager_id=actor.user_id
        )
        if not mine.exists():
            raise Http404("Not found")
    return consent


@action("access.consent_revoke")
def consent_revoke(*, actor: Actor, consent_id: int, note: str = "") -> Consent:
    """Revoke a consent now: the very next disclosure it would have allowed is refused."""
    consent = _consent_for_staff(actor, consent_id)
    now = timezone.now()
    if consent_state(consent, now) in (ConsentState.REVOKED, ConsentState.EXPIRED):
        raise ValidationError(CONSENT_ALREADY_ENDED)
    if not consent_may_revoke(consent, now):
        raise ValidationError(CONSENT_IRREVOCABLE)
    Consent.objects.filter(pk=consent.pk).update(revoked_at=now, revocation_note=note[:300])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Consent",
        object_id=consent.pk,
        detail={"change": "revoked", "person_id": consent.person_id},
    )
    consent.revoked_at = now
    return consent


@action("access.consent_proceeding_end")
def consent_proceeding_end(*, actor: Actor, consent_id: int) -> Consent:
    """Record that the proceeding an irrevocable consent supports has ended; it becomes revocable."""
    consent = _consent_for_staff(actor, consent_id)
    ends_with_it = consent.expiry_on == Consent.ExpiryOn.PROCEEDING_END
    if not (consent.irrevocable_until_proceeding_ends or ends_with_it):
        raise ValidationError(NOT_IRREVOCABLE)
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(proceeding_ended_at=now)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Consent",
        object_id=consent.pk,
        detail={"change": "proceeding_ended", "person_id": consent.person_id},
    )
    consent.proceeding_ended_at = now
    if ends_with_it and consent.expiry_event_at is None:
        consents_end(actor=actor, consent_ids=[consent.pk], event=consent.expiry_on, at=now)
        consent.expiry_event_at = now
    return consent
