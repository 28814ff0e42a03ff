"""Applying the retention policy, and the legal holds that suspend it.

Applying removes a due person's identifying details: names, the exact date of birth (the year is
kept, as Safe Harbor allows, unless that puts them over 89), aliases, contact details, where to find
them, and every free-text note of their records (contacts, plan, assessments, service referrals,
legal coordination, workgroup discussion); their documents and the profile-change history that
holds old names are deleted, and so are their notices. What the evaluation counts stays: the person's
codes (sex, race, veteran status), the referral's door, date and offence codes, the case's statuses,
dates and exit reason, the number of contacts. One transaction and one audit entry per person; the
audit log itself is never touched, so `offramp audit verify` still passes.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.models import Consent
from offramp.access.scope import Actor, acting, action
from offramp.cases.models import Assessment, Case, Contact, Goal, StatusChange, Step
from offramp.documents.models import Document
from offramp.legal.models import LegalStatement, ProsecutorNote
from offramp.notifications.models import Notification
from offramp.people import hmis
from offramp.people.models import Alias, LinkSuggestion, Person, PersonLink, ProfileChange
from offramp.programs.models import Program
from offramp.referrals.models import Referral
from offramp.retention.models import LegalHold, Removal
from offramp.retention.policy import require_hold_manager
from offramp.retention.queries import retention_plan
from offramp.retention.rules import Due
from offramp.transitions.models import CaseTransfer, ServiceReferral, TransitionChange
from offramp.workgroup.models import ActionItem, AgendaItem, Decision

REMOVED = "(removed)"
ERR_REASON = "Write what the hold is for (the litigation, request or order)."
ERR_RELEASE_REASON = "Write why the hold is released."
ERR_ALREADY_HELD = "This person's records are already on legal hold."
ERR_NOT_HELD = "This hold was already released."


@dataclass
class ApplyReport:
    program: Program
    removed: list[int] = field(default_factory=list)  # person ids
    held: int = 0


def _birth_year_only(dob: dt.date | None, today: dt.date) -> dt.date | None:
    if dob is None or today.year - dob.year > 89:
        return None
    return dt.date(dob.year, 1, 1)


def _scrub(person: Person, today: dt.date) -> dict[str, int]:
    """Remove one person's identifying details (inside trusted() and a transaction); counts by kind."""
    pid = person.pk
    on_cases = Q(case__person_id=pid)
    case_ids = list(Case.objects.filter(person_id=pid).values_list("pk", flat=True))
    referral_ids = list(Referral.objects.filter(person_id=pid).values_list("pk", flat=True))
    dob = _birth_year_only(person.date_of_birth, today)
    Person.objects.filter(pk=pid).update(
        legal_first_name="",
        legal_middle_name="",
        legal_last_name=REMOVED,
        preferred_name="",
        name_data_quality=hmis.NameDataQuality.NOT_COLLECTED,
        date_of_birth=dob,
        dob_data_quality=hmis.DOBDataQuality.APPROXIMATE if dob else hmis.DOBDataQuality.NOT_COLLECTED,
        gender="",
        additional_race_ethnicity="",
        phone="",
        whereabouts="",
        emergency_contact_name="",
        emergency_contact_relationship="",
        emergency_contact_phone="",
    )
    pages = Q()
    for case_id in case_ids:
        pages |= Q(url__startswith=f"/cases/{case_id}/")
    for referral_id in referral_ids:
        pages |= Q(url__startswith=f"/referrals/{referral_id}/")
    counts = {
        "aliases": Alias.objects.filter(person_id=pid).delete()[0],
        "profile_changes": ProfileChange.objects.filter(person_id=pid).delete()[0],
        "documents": Document.objects.filter(on_cases).delete()[0],
        "notifications": Notification.objects.filter(pages).delete()[0] if case_ids or referral_ids else 0,
        "contacts": Contact.objects.filter(on_cases).update(note="", location=""),
        "status_changes": StatusChange.objects.filter(on_cases).update(reason=""),
        "goals": Goal.objects.filter(plan__case__person_id=pid).update(in_own_words=""),
        "steps": Step.objects.filter(goal__plan__case__person_id=pid).update(what=REMOVED, who=""),
        "assessments": Assessment.objects.filter(on_cases).update(answers={}, substance_use={}),
        "referrals": Referral.objects.filter(person_id=pid).update(
            location="", referrer_name="", incident_number="", decision_facts={}
        ),
        "service_referrals": ServiceReferral.objects.filter(on_cases).update(
            need="", provider_response="", override_reason=""
        ),
        "case_transfers": CaseTransfer.objects.filter(on_cases).update(reason=REMOVED),
        "transition_changes": TransitionChange.objects.filter(
            Q(service_referral__case__person_id=pid) | Q(case_transfer__case__person_id=pid)
        ).update(reason=""),
        "legal_statements": LegalStatement.objects.filter(on_cases).update(text=""),
        "prosecutor_notes": ProsecutorNote.objects.filter(on_cases).exclude(note="").update(note=REMOVED),
        "agenda_items": AgendaItem.objects.filter(on_cases).update(discussion=""),
        "decisions": Decision.objects.filter(item__case__person_id=pid).update(text=REMOVED),
        "action_items": ActionItem.objects.filter(item__case__person_id=pid).update(what=REMOVED),
        "consent_notes": Consent.objects.filter(person_id=pid)
        .exclude(revocation_note="")
        .update(revocation_note=""),
        "person_links": PersonLink.objects.filter(Q(person_id=pid) | Q(other_id=pid)).update(
            reason=REMOVED, split_reason=""
        ),
        "link_suggestions": LinkSuggestion.objects.filter(Q(person_id=pid) | Q(other_id=pid))
        .exclude(decision_reason="")
        .update(decision_reason=REMOVED),
    }
    # A declined referral or transfer keeps that it was declined, not the words why.
    ServiceReferral.objects.filter(on_cases).exclude(decline_reason="").update(decline_reason=REMOVED)
    CaseTransfer.objects.filter(on_cases).exclude(decline_reason="").update(decline_reason=REMOVED)
    Case.objects.filter(person_id=pid).update(status_reason="")
    return {kind: n for kind, n in counts.items() if n}


def _remove(actor: Actor, program: Program, due: Due, now: dt.datetime) -> bool:
    """One person, in one transaction: scrubbed, recorded, audited. False if it no longer applies
    (a hold set or a case reopened since the plan was read)."""
    with acting("retention.retention_apply"):
        person = Person.objects.select_for_update().filter(program=program, pk=due.person_id).first()
        if person is None or Removal.objects.filter(person_id=person.pk).exists():
            return False
        held = LegalHold.objects.filter(program=program, person=person, released_at__isnull=True)
        reopened = Case.objects.filter(person=person).exclude(status="exited").exists()
        if held.exists() or reopened:
            return False
        counts = _scrub(person, now.astimezone(program.zone).date())
        Removal.objects.create(
            program=program,
            person=person,
            rule=due.rule,
            due_since=due.due_since,
            removed_at=now,
            counts=counts,
        )
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="Person",
            object_id=person.pk,
            program=program,
            detail={
                "retention": due.rule,
                "due_since": due.due_since,
                "cases": due.case_ids,
                "removed": counts,
                "person_id": person.pk,
            },
        )
    return True


def retention_apply(*, actor: Actor, program: Program, now: dt.datetime | None = None) -> ApplyReport:
    """Remove the identifying details of everyone the program's policy makes due now."""
    now = now or timezone.now()
    plan = retention_plan(program, now=now)
    report = ApplyReport(program=program, held=len(plan.held))
    for due in plan.due:
        if _remove(actor, program, due, now):
            report.removed.append(due.person_id)
    return report


@action("retention.legal_hold_set")
def legal_hold_set(*, actor: Actor, case_id: int, reason: str) -> LegalHold:
    """A project manager puts the person of a case (all their records) on legal hold."""
    require_hold_manager(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(ERR_REASON)
    case = Case.objects.filter(program_id=actor.program_id, pk=case_id).first()
    if case is None:
        raise audited_not_found(actor, "Case", case_id, detail={"legal_hold": True})
    Person.objects.select_for_update().filter(pk=case.person_id).first()  # one hold at a time
    if LegalHold.objects.filter(person_id=case.person_id, released_at__isnull=True).exists():
        raise ValidationError(ERR_ALREADY_HELD)
    hold = LegalHold.objects.create(
        program_id=actor.program_id,
        person_id=case.person_id,
        case=case,
        reason=reason[:300],
        set_at=timezone.now(),
        set_by=actor.user if actor.user_id else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="LegalHold",
        object_id=hold.pk,
        detail={"case": case.pk, "person_id": case.person_id},
    )
    return hold


@action("retention.legal_hold_release")
def legal_hold_release(*, actor: Actor, hold_id: int, reason: str) -> LegalHold:
    require_hold_manager(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(ERR_RELEASE_REASON)
    hold = LegalHold.objects.select_for_update().filter(program_id=actor.program_id, pk=hold_id).first()
    if hold is None:
        raise audited_not_found(actor, "LegalHold", hold_id)
    if hold.released_at is not None:
        raise ValidationError(ERR_NOT_HELD)
    hold.released_at = timezone.now()
    hold.released_by = actor.user if actor.user_id else None
    hold.release_reason = reason[:300]
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="LegalHold",
        object_id=hold.pk,
        detail={"change": "released", "person_id": hold.person_id},
    )
    return hold
