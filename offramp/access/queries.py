"""Reads of the audit log. Reading the audit log is itself audited."""

import datetime as dt
from dataclasses import asdict, dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from offramp.access.audit import HEAD_ID, Action, audit_record
from offramp.access.chain import ChainReport, verify_chain
from offramp.access.consent import CATEGORY_LABELS, consent_may_revoke, consent_state
from offramp.access.models import AuditChainHead, AuditEntry, Consent, Disclosure
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""  # username (or system job label)
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    person_id: int | None = None  # "who looked at this participant?": the person and their cases
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1


def audit_entries(actor: Actor, filters: AuditFilter) -> Page:
    """Entries about the actor's program, and the sign-ins of its staff, newest first."""
    actor.require(Category.AUDIT, Scope.PROGRAM)
    from offramp.programs.models import Membership

    staff = Membership.objects.filter(program_id=actor.program_id).values("user_id")
    entries = AuditEntry.objects.filter(
        Q(program_id=actor.program_id) | Q(program__isnull=True, actor_id__in=staff)
    ).select_related("actor")
    if filters.user:
        entries = entries.filter(actor_label__iexact=filters.user.strip())
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type__iexact=filters.object_type.strip())
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id.strip())
    if filters.person_id is not None:
        entries = entries.filter(_about_person(actor, filters.person_id))
    zone = timezone.get_current_timezone()
    if filters.since:
        entries = entries.filter(at__gte=dt.datetime.combine(filters.since, dt.time.min, zone))
    if filters.until:
        entries = entries.filter(
            at__lt=dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, zone)
        )
    page = Paginator(entries.order_by("-seq"), AUDIT_PAGE_SIZE).get_page(filters.page)
    page.object_list = list(page.object_list)  # read before this reading is itself recorded
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="AuditEntry",
        detail={"view": "audit_log", **{k: v for k, v in asdict(filters).items() if v not in ("", None)}},
    )
    return page


def _about_person(actor: Actor, person_id: int) -> Q:
    """Entries naming the person, their cases, or a lookup that matched them."""
    from offramp.cases.models import Case

    with trusted("access.audit_entries"):
        case_ids = [str(pk) for pk in Case.objects.filter(program_id=actor.program_id, person_id=person_id)
                    .values_list("pk", flat=True)]  # fmt: skip
    return (
        Q(object_type="Person", object_id=str(person_id))
        | Q(object_type="Case", object_id__in=case_ids)
        | Q(detail__person_id=person_id)
    )


def audit_chain_verify(*, actor: Actor) -> ChainReport:
    """Check the whole chain (every program: it is one chain), then record that it was checked."""
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    report = verify_chain(entries, head=AuditChainHead.objects.filter(pk=HEAD_ID).first())
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="AuditEntry",
        outcome=AuditEntry.Outcome.OK if report.ok else AuditEntry.Outcome.FAILED,
        detail={"view": "audit_verify", "checked": report.checked, "problem": report.problem},
    )
    return report


ACCOUNTING_YEARS = 3


@dataclass(frozen=True)
class DisclosureAccounting:
    case: object
    consents: list
    disclosures: list
    since: dt.datetime
    may_record: bool = False  # the actor may record and revoke this participant's consents


def consent_form_case(actor: Actor, case_id: int):
    """The case whose participant's consent is being recorded: the case team's only, else 404 (audited)."""
    from django.http import Http404

    from offramp.access.actions import consent_team_scope
    from offramp.cases.queries import case_brief

    if consent_team_scope(actor) < Scope.OWN:
        raise Http404("Not found")
    case = case_brief(actor, case_id)
    # Someone who reads every case (a project manager) but is on the case team only for their own caseload.
    if consent_team_scope(actor) == Scope.OWN and case.case_manager_id != actor.user_id:
        raise Http404("Not found")
    return case


def disclosure_accounting(actor: Actor, case_id: int) -> DisclosureAccounting:
    """The participant's consents and every disclosure of the last three years (42 CFR 2.24 accounting).

    Open to whoever may open the participant's case; outside that, 404.
    """
    from offramp.cases.queries import case_get

    case = case_get(actor, case_id)  # 404 outside the actor's scope, and audited as a read
    since = timezone.now() - dt.timedelta(days=365 * ACCOUNTING_YEARS + 1)
    with trusted("access.disclosure_accounting"):
        consents = list(Consent.objects.filter(program_id=actor.program_id, person_id=case.person_id)
                        .select_related("recorded_by"))  # fmt: skip
        disclosures = list(
            Disclosure.objects.filter(
                program_id=actor.program_id, person_id=case.person_id, disclosed_at__gte=since
            )
            .select_related("disclosed_to", "consent")
            .order_by("-disclosed_at")
        )
    from offramp.access.actions import consent_team_scope

    team = consent_team_scope(actor)
    may_record = team == Scope.PROGRAM or (team == Scope.OWN and case.case_manager_id == actor.user_id)
    now = timezone.now()
    for consent in consents:
        consent.state = consent_state(consent, now)
        consent.may_revoke = may_record and consent_may_revoke(consent, now)
        consent.category_labels = [CATEGORY_LABELS.get(c, c) for c in consent.categories]
    audit_record(
        actor=actor, action=Action.READ, object_type="Disclosure", object_id=case.person_id,
        detail={"view": "disclosure_accounting", "person_id": case.person_id, "count": len(disclosures)},
    )  # fmt: skip
    return DisclosureAccounting(
        case=case, consents=consents, disclosures=disclosures, since=since, may_record=may_record
    )


def deidentified_export(actor: Actor) -> list[dict]:
    """One row per case in the program, holding only the Safe Harbor columns (offramp.access.deidentify)."""
    from django.db.models import Count

    from offramp.access import deidentify
    from offramp.cases.models import Case

    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    with trusted("access.deidentified_export"):
        cases = list(
            Case.objects.filter(program_id=actor.program_id)
            .select_related("person", "referral")
            .annotate(
                n_contacts=Count("contacts"),
                n_successful=Count("contacts", filter=Q(contacts__successful=True)),
            )
            .order_by("pk")
        )
    rows = []
    for case in cases:
        person, referral = case.person, case.referral
        referred = referral.referred_at if referral else case.opened_at
        intake = case.intake_completed_at
        row = {
            "research_id": deidentify.research_id(actor.program_id, person.pk),
            "referral_year": referred.year,
            "door": referral.door if referral else "",
            "offence_nibrs": referral.offence_nibrs if referral else "",
            "age_group": deidentify.age_group(deidentify.age_on(person.date_of_birth, referred.date())),
            "sex": "" if person.sex is None else person.sex,
            "race_ethnicity": "+".join(f for f in deidentify.RACE_FIELDS if getattr(person, f) == 1),
            "case_status": case.status,
            "exit_reason": case.exit_reason,
            "intake_completed": "yes" if intake else "no",
            "days_to_intake": (intake - referred).days if intake else "",
            "contacts": case.n_contacts,
            "successful_contacts": case.n_successful,
        }
        rows.append({column: row[column] for column in deidentify.COLUMNS})  # the allow-list decides
    audit_record(
        actor=actor, action=Action.EXPORT, object_type="DeidentifiedExport",
        detail={"rows": len(rows), "columns": list(deidentify.COLUMNS)},
    )  # fmt: skip
    return rows
