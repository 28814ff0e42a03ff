"""Every change to service referrals and case transfers: the `transition_*` family.

A transition that sends a participant's details to someone outside the case team (a service
referral reaching `referred`) passes `_disclosure_gate`: it needs the participant's active consent
for that recipient (decided by `offramp.access.consent.consent_permits`, the one rule) and is then
written to the disclosure ledger; without consent, only a case supervisor may override, with a
written reason, and the override is audited. A refused transition changes nothing and is itself
audited as denied. A case transfer stays inside the program's case team, so it discloses nothing
and needs no consent (docs/transitions.md).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from offramp.access.actions import disclosure_record
from offramp.access.audit import Action, audit_record
from offramp.access.consent import consent_permits
from offramp.access.models import AuditEntry, Consent
from offramp.access.policy import Category, Scope, case_team_scope, may_assign, may_override_consent
from offramp.access.rows import program_row
from offramp.access.scope import Actor, acting, action
from offramp.cases.actions import case_assign
from offramp.cases.models import Case, Goal, Status
from offramp.cases.queries import case_for
from offramp.directory.models import Organization, Service
from offramp.programs.queries import active_case_manager
from offramp.transitions import lifecycle
from offramp.transitions.models import CaseTransfer, ServiceReferral, TransitionChange

ERR_PROVIDER_NEEDED = "Choose a service from the directory or write the provider's name."
ERR_SERVICE_UNKNOWN = "That service is not in this program's directory."
ERR_AREA = "Choose the area of need."
ERR_FOLLOW_UP_PAST = "A follow-up date cannot be in the past."
ERR_CASE_EXITED = "This case has exited: re-engage it before making a referral."
ERR_BAD_MOVE = "A referral that is {current} cannot become {wanted}."
ERR_DECLINE_REASON = "Say why the referral was declined."
ERR_NO_CONSENT = (
    "The participant has not consented to sharing their information with {recipient}. Record their "
    "consent first, or a case supervisor may override with a written reason."
)
ERR_OVERRIDE_ROLE = "Only a case supervisor may override the participant's consent."
ERR_NOTHING_TO_CHANGE = "Nothing to save: choose a new status, or record the provider's response or a date."
ERR_TRANSFER_DECLINE_REASON = "Say why the transfer was declined."
ERR_TRANSFER_REASON = "Say why the case is moving."
ERR_SAME_MANAGER = "This case is already on that caseload."
ERR_TRANSFER_OPEN = "This case already has a transfer waiting for a decision."
ERR_TRANSFER_DECIDED = "This transfer has already been decided."
ERR_TRANSFER_STALE = "The case has changed hands since this transfer was requested: request it again."

KEEP = object()  # "leave this field as it is" for optional updates


class Refused(Exception):
    """A transition refused by a rule: nothing was changed; the caller audits the refusal."""

    def __init__(self, message: str, detail: dict):
        super().__init__(message)
        self.message, self.detail = message, detail


def _audited_refusal(actor: Actor, object_type: str, object_id, exc: Refused) -> ValidationError:
    audit_record(
        actor=actor,
        action=Action.DISCLOSE,
        object_type=object_type,
        object_id=object_id,
        outcome=AuditEntry.Outcome.DENIED,
        detail=exc.detail,
    )
    return ValidationError(exc.message)


def _case_for_change(actor: Actor, case_id: int) -> Case:
    """The case, locked, if the actor is on its case team (own caseload, or a supervisor), else 404."""
    return case_for(actor, case_id, lock=True, change=True).case


def _user(actor: Actor):
    return actor.user if actor.user_id else None


# ---- the consent gate ---------------------------------------------------------------------------


def disclosure_categories(area: str) -> list[str]:
    """What a referral discloses: who the participant is and their need; substance use is Part 2."""
    categories = [Category.IDENTITY, Category.CASE_RECORD]
    if area == Goal.Area.SUBSTANCE_USE:
        categories.append(Category.PART2)
    return categories


def _names_recipient(consent: Consent, names: set[str]) -> bool:
    """A consent naming no one covers any provider (general designation); else it must name this one."""
    named = consent.recipient_name.strip().casefold()
    return not named or named in names


def consent_for_provider(
    *, program_id: int, person_id: int, names: set[str], categories: list[str], at: dt.datetime
) -> Consent | None:
    """The most recently signed consent that permits this disclosure to this provider now, or None.

    Call inside trusted(). `consent_permits` decides; this only adds that the consent names the recipient.
    """
    names = {n.strip().casefold() for n in names if n and n.strip()}
    candidates = Consent.objects.filter(
        program_id=program_id,
        person_id=person_id,
        recipient_class=Consent.Recipient.PROVIDER,
        signed_at__lte=at,
    ).order_by("-signed_at", "-id")
    for consent in candidates:
        permitted = all(
            consent_permits(consent, recipient_class=Consent.Recipient.PROVIDER, category=c, at=at)
            for c in categories
        )
        if permitted and _names_recipient(consent, names):
            return consent
    return None


def _disclosure_gate(actor: Actor, referral: ServiceReferral, override_reason: str, now: dt.datetime) -> dict:
    """Let the referral reach its provider: with consent (and a ledger row), or a supervisor's override."""
    categories = disclosure_categories(referral.area)
    consent = consent_for_provider(
        program_id=referral.program_id,
        person_id=referral.case.person_id,
        names=_recipient_names(referral),
        categories=categories,
        at=now,
    )
    detail = {
        "person_id": referral.case.person_id,
        "case": referral.case_id,
        "recipient": referral.provider_name,
        "categories": categories,
    }
    if consent is not None:
        disclosure = disclosure_record(
            actor=actor,
            consent=consent,
            categories=categories,
            description=f"Service referral to {referral.provider_name}: identity and need "
            f"({referral.get_area_display()})",
        )
        referral.consent, referral.disclosure = consent, disclosure
        return {**detail, "consent_id": consent.pk, "disclosure_id": disclosure.pk}
    reason = override_reason.strip()
    if not reason:
        message = ERR_NO_CONSENT.format(recipient=referral.provider_name)
        raise Refused(message, {**detail, "refused": "no_consent"})
    if not may_override_consent(actor):
        raise Refused(ERR_OVERRIDE_ROLE, {**detail, "refused": "override_role"})
    referral.override_reason, referral.override_by = reason, _user(actor)
    return {**detail, "override": True, "override_reason": reason}


def _recipient_names(referral: ServiceReferral) -> set[str]:
    names = {referral.provider_name}
    if referral.service_id:
        names.add(referral.service.name or "")
        organization = Organization.objects.filter(
            program_id=referral.program_id, hsds_id=referral.service.organization_id
        ).first()
        if organization:
            names.add(organization.name or "")
    return names


# ---- service referrals ------------------------------------------------------------------------------


def _record_change(actor: Actor, referral: ServiceReferral, to_status: str, reason: str, now) -> None:
    TransitionChange.objects.create(
        program_id=referral.program_id,
        service_referral=referral,
        from_status=referral.status,
        to_status=to_status,
        reason=reason[:300],
        at=now,
        by=_user(actor),
    )
    if referral.status in lifecycle.PENDING and to_status not in lifecycle.PENDING:
        referral.resolved_at = now
    referral.status, referral.status_changed_at = to_status, now
    if to_status == lifecycle.DECLINED:
        referral.decline_reason = reason[:300]


def _check_follow_up(actor: Actor, follow_up_on, now) -> None:
    if follow_up_on is not None and follow_up_on < timezone.localdate(now, timezone=actor.program.zone):
        raise ValidationError(ERR_FOLLOW_UP_PAST)


def transition_referral_create(
    *,
    actor: Actor,
    case_id: int,
    area: str,
    service_hsds_id: str = "",
    provider_name: str = "",
    need: str = "",
    follow_up_on: dt.date | None = None,
    refer_now: bool = False,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> ServiceReferral:
    """A new service referral, proposed; with `refer_now`, sent to the provider at once (the consent gate)."""
    now = now or timezone.now()
    if area not in Goal.Area.values:
        raise ValidationError(ERR_AREA)
    try:
        with acting("transitions.referral_create"):
            case = _case_for_change(actor, case_id)
            _check_follow_up(actor, follow_up_on, now)
            if case.status == Status.EXITED:
                raise ValidationError(ERR_CASE_EXITED)
            service = None
            if service_hsds_id:
                service = Service.objects.filter(program_id=actor.program_id, hsds_id=service_hsds_id).first()
                if service is None:
                    raise ValidationError(ERR_SERVICE_UNKNOWN)
                provider_name = provider_name.strip() or _provider_of(service)
            if not provider_name.strip():
                raise ValidationError(ERR_PROVIDER_NEEDED)
            referral = ServiceReferral.objects.create(
                program_id=actor.program_id,
                case=case,
                service=service,
                provider_name=provider_name.strip()[:200],
                area=area,
                need=need.strip()[:300],
                follow_up_on=follow_up_on,
                created_at=now,
                created_by=_user(actor),
                status_changed_at=now,
            )
            TransitionChange.objects.create(
                program_id=actor.program_id,
                service_referral=referral,
                to_status=lifecycle.PROPOSED,
                at=now,
                by=_user(actor),
            )
            detail = {"case": case.pk, "person_id": case.person_id, "status": lifecycle.PROPOSED}
            if refer_now:
                detail |= _disclosure_gate(actor, referral, override_reason, now)
                _record_change(actor, referral, lifecycle.REFERRED, "", now)
                referral.save()
                detail["status"] = lifecycle.REFERRED
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type="ServiceReferral",
                object_id=referral.pk,
                detail=detail,
            )
    except Refused as exc:
        raise _audited_refusal(actor, "Case", case_id, exc) from None
    return referral


def _provider_of(service: Service) -> str:
    organization = Organization.objects.filter(program_id=service.program_id, hsds_id=service.organization_id)
    name = organization.values_list("name", flat=True).first()
    return name or service.name or ""


def transition_referral_update(
    *,
    actor: Actor,
    referral_id: int,
    to_status: str = "",
    reason: str = "",
    provider_response: str = "",
    follow_up_on: dt.date | None | object = KEEP,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> ServiceReferral:
    """Move a referral on (only along `lifecycle.NEXT`), record the provider's response, set a follow-up date.

    Reaching `referred` discloses the participant to the provider and passes the consent gate.
    """
    now = now or timezone.now()
    response = provider_response.strip()
    if not to_status and not response and follow_up_on is KEEP:
        raise ValidationError(ERR_NOTHING_TO_CHANGE)
    try:
        with acting("transitions.referral_update"):
            referral = _referral_for_change(actor, referral_id)
            detail = {"case": referral.case_id, "person_id": referral.case.person_id}
            if follow_up_on is not KEEP:
                _check_follow_up(actor, follow_up_on, now)
                referral.follow_up_on = follow_up_on
                detail["follow_up_on"] = follow_up_on.isoformat() if follow_up_on else None
            if response:
                referral.provider_response, referral.provider_responded_at = response, now
                detail["provider_response"] = True
            if to_status:
                if not lifecycle.may_move(referral.status, to_status):
                    raise ValidationError(
                        ERR_BAD_MOVE.format(current=_label(referral.status), wanted=_label(to_status))
                    )
                if to_status == lifecycle.DECLINED and not reason.strip():
                    raise ValidationError(ERR_DECLINE_REASON)
                if to_status in lifecycle.DISCLOSING:
                    detail |= _disclosure_gate(actor, referral, override_reason, now)
                detail |= {"from": referral.status, "to": to_status}
                _record_change(actor, referral, to_status, reason.strip(), now)
            referral.save()
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                object_type="ServiceReferral",
                object_id=referral.pk,
                detail=detail,
            )
    except Refused as exc:
        raise _audited_refusal(actor, "ServiceReferral", referral_id, exc) from None
    return referral


def _label(status: str) -> str:
    return lifecycle.STATUS_LABELS.get(status, status).split(" (")[0].lower()


def _referral_for_change(actor: Actor, referral_id: int) -> ServiceReferral:
    scope = case_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    referrals = ServiceReferral.objects.select_related("case", "service")
    if scope == Scope.OWN:
        referrals = referrals.filter(case__case_manager_id=actor.user_id)
    return program_row(actor, referrals, referral_id)


# ---- case transfers ---------------------------------------------------------------------------------


@action("transitions.transfer_request")
def transition_transfer_request(
    *, actor: Actor, case_id: int, to_manager_id: int, reason: str, now: dt.datetime | None = None
) -> CaseTransfer:
    """Ask for a case to move to another case manager; a case supervisor decides.

    Inside the program's case team no consent is needed: the program is the discloser the
    participant's consents name, and nothing leaves it (docs/transitions.md).
    """
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(ERR_TRANSFER_REASON)
    case = _case_for_change(actor, case_id)
    to_manager = active_case_manager(program_id=actor.program_id, user_id=to_manager_id)
    if case.case_manager_id == to_manager.pk:
        raise ValidationError(ERR_SAME_MANAGER)
    if CaseTransfer.objects.filter(case=case, status=CaseTransfer.Status.REQUESTED).exists():
        raise ValidationError(ERR_TRANSFER_OPEN)
    transfer = CaseTransfer.objects.create(
        program_id=actor.program_id,
        case=case,
        from_manager_id=case.case_manager_id,
        to_manager=to_manager,
        reason=reason.strip()[:300],
        created_at=now,
        created_by=_user(actor),
        status_changed_at=now,
    )
    TransitionChange.objects.create(
        program_id=actor.program_id,
        case_transfer=transfer,
        to_status=transfer.status,
        reason=transfer.reason,
        at=now,
        by=_user(actor),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="CaseTransfer",
        object_id=transfer.pk,
        detail={
            "case": case.pk,
            "person_id": case.person_id,
            "from": case.case_manager_id,
            "to": to_manager.pk,
            "consent": "not needed: inside the program's case team",
        },
    )
    return transfer


@action("transitions.transfer_decide")
def transition_transfer_decide(
    *,
    actor: Actor,
    transfer_id: int,
    accept: bool,
    reason: str = "",
    confirm: bool = False,
    now: dt.datetime | None = None,
) -> CaseTransfer:
    """A case supervisor completes a transfer (the case is reassigned; caseload limits apply) or declines."""
    now = now or timezone.now()
    if not may_assign(actor):
        raise Http404("Not found")
    if not accept and not reason.strip():
        raise ValidationError(ERR_TRANSFER_DECLINE_REASON)
    transfer = program_row(actor, CaseTransfer.objects.select_related("case"), transfer_id)
    if transfer.status != CaseTransfer.Status.REQUESTED:
        raise ValidationError(ERR_TRANSFER_DECIDED)
    if accept:
        if transfer.case.case_manager_id != transfer.from_manager_id:
            raise ValidationError(ERR_TRANSFER_STALE)
        case_assign(
            actor=actor, case_id=transfer.case_id, case_manager_id=transfer.to_manager_id, confirm=confirm
        )
    to_status = CaseTransfer.Status.COMPLETED if accept else CaseTransfer.Status.DECLINED
    TransitionChange.objects.create(
        program_id=actor.program_id,
        case_transfer=transfer,
        from_status=transfer.status,
        to_status=to_status,
        reason=reason.strip()[:300],
        at=now,
        by=_user(actor),
    )
    transfer.status, transfer.status_changed_at = to_status, now
    transfer.decline_reason = "" if accept else reason.strip()[:300]
    transfer.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="CaseTransfer",
        object_id=transfer.pk,
        detail={"case": transfer.case_id, "person_id": transfer.case.person_id, "to": to_status},
    )
    return transfer
