"""The program's endpoints: eligibility preview, referrals, the prosecutor's status lookup, arrests for
continuous screening and legal-system events. Thin: each builds its actor and calls a query or action."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Header, Router, Status

from offramp.analysis.actions import legal_events_add
from offramp.api import schemas
from offramp.api import scopes as s
from offramp.api.core import acting
from offramp.people.queries import status_lookup
from offramp.referrals.actions import ERR_INCIDENT_NUMBER, ERR_INELIGIBLE, referral_divert
from offramp.referrals.continuous_actions import arrests_screen
from offramp.referrals.queries import agency_referral, eligibility_preview
from offramp.referrals.referral_facts import ReferralDraft

router = Router(tags=["program"])
KEY_PREFIX = "api{integration}:"
MAX_KEY = 48  # the stored key is this integration's prefix plus the client's key, within 64 characters
ERR_KEY = "Send an Idempotency-Key header of 1 to 48 characters (letters, digits, '-' or '_')."
# Messages of the referral action that belong to one field of the request.
FIELDS = {ERR_INCIDENT_NUMBER: "incident_number", ERR_INELIGIBLE: "statute"}


def _draft(body, **names) -> ReferralDraft:
    return ReferralDraft(
        door=body.door,
        statute=body.statute,
        quantity_grams=body.quantity_grams,
        substance=body.substance,
        history=dict(body.history),
        flags=dict(body.flags),
        **names,
    )


@router.post("/eligibility/preview", response=schemas.DecisionOut, operation_id="eligibility_preview")
def preview(request, body: schemas.Facts):
    """Facts in, the decision the program's current protocol makes, with its reasons, out. Stores nothing."""
    actor = acting(request, s.ELIGIBILITY)
    draft = _draft(body, last_name="", date_of_birth=body.date_of_birth)
    decision = eligibility_preview(
        actor,
        draft=draft,
        incident_date=body.incident_date or timezone.localdate(timezone=actor.program.zone),
        age=body.age,
    )
    return {
        "outcome": decision.outcome,
        "review_by": decision.review_by,
        "protocol_version": decision.protocol_version,
        "reasons": [
            {"rule": r.rule_id, "outcome": r.outcome, "message": r.message, "review_by": r.review_by}
            for r in decision.reasons
        ],
        "missing": list(decision.missing),
    }


def _key(value: str) -> str:
    key = (value or "").strip()
    if not 1 <= len(key) <= MAX_KEY or not all(c.isalnum() or c in "-_" for c in key):
        error = ValidationError(ERR_KEY)
        error.api_field = "Idempotency-Key"
        raise error
    return key


@router.post(
    "/referrals",
    response={201: schemas.ReferralStatus},
    operation_id="referral_create",
)
def referral_create(
    request, body: schemas.ReferralIn, idempotency_key: str = Header(..., alias="Idempotency-Key")
):
    """Divert a person: the decision under the current protocol, the person, the case and the warm hand-off.

    Idempotent: the same Idempotency-Key from the same integration returns the referral the first call
    made (201 again, the same body) and changes nothing."""
    actor = acting(request, s.REFERRALS_WRITE)
    integration = request.auth
    key = KEY_PREFIX.format(integration=integration.pk) + _key(idempotency_key)
    draft = _draft(
        body,
        first_name=body.first_name,
        last_name=body.last_name,
        date_of_birth=body.date_of_birth,
        incident_number=body.incident_number,
        location=body.location,
        area=body.area,
    )
    try:
        referral = referral_divert(
            actor=actor, draft=draft, idempotency_key=key, referring_agency_id=integration.agency_id
        )
    except ValidationError as exc:
        exc.api_field = FIELDS.get(exc.messages[0], "") if exc.messages else ""
        raise
    status_actor = acting(request, s.REFERRALS_WRITE)
    return Status(
        201, agency_referral(status_actor, agency_id=integration.agency_id, referral_id=referral.pk)
    )


@router.get("/referrals/{referral_id}", response=schemas.ReferralStatus, operation_id="referral_status")
def referral_status(request, referral_id: int):
    """A referral this integration's agency made: the decision, whether the program took the person on,
    whether intake is done, whether the case is open. Nothing more (minimum necessary)."""
    actor = acting(request, s.REFERRALS_READ)
    return agency_referral(actor, agency_id=request.auth.agency_id, referral_id=referral_id)


@router.post("/participant-status", response=schemas.StatusAnswer, operation_id="participant_status")
def participant_status(request, body: schemas.StatusQuery):
    """The prosecutor's lookup: active participants by name and date of birth, only where a consent names
    the prosecutor. "No consent" reads exactly like "no record". A POST, so names stay out of URLs and
    logs."""
    actor = acting(request, s.PROSECUTOR_STATUS)
    answers = status_lookup(
        actor, last_name=body.last_name, first_name=body.first_name, date_of_birth=body.date_of_birth
    )
    return {
        "matches": [
            {
                "name": a.name or "",
                "date_of_birth": a.date_of_birth,
                "status": a.status_label or "",
                "opened_at": a.opened_at,
                "intake_completed_at": a.intake_completed_at,
                "status_changed_at": a.status_changed_at,
                "notice": a.notice or "",
                "consent_scope": a.consent_scope or "",
            }
            for a in answers
        ]
    }


@router.post("/arrests", response={201: schemas.BatchResult}, operation_id="arrests_post")
def arrests_post(request, body: schemas.ArrestBatch):
    """A batch of arrests from the records system, screened against the current protocol as it arrives.
    Whole or not at all; an incident number already received is skipped and counted, so a resend is safe."""
    actor = acting(request, s.ARRESTS_WRITE)
    run, counts = arrests_screen(
        actor=actor, arrests=[a.model_dump() for a in body.arrests], source=f"api:{request.auth.name}"
    )
    return Status(201, {"run_id": run.pk if run else None, **counts})


@router.post("/legal-events", response={201: schemas.LegalEventResult}, operation_id="legal_events_post")
def legal_events_post(request, body: schemas.LegalEventBatch):
    """Legal-system events (arrests, bookings, charges, jail and prison) of people already loaded by the
    records import, for the evaluation and for legal coordination. Whole or not at all."""
    actor = acting(request, s.LEGAL_EVENTS_WRITE)
    batch = legal_events_add(
        actor=actor, events=[e.model_dump() for e in body.events], source=body.source or request.auth.name
    )
    return Status(201, {"batch_id": batch.pk, "events": batch.rows})
