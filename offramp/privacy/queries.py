"""Reads behind the privacy pages: the audit log, a participant's consents and disclosures, the
de-identified export. Each read is itself audited."""

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from offramp.access import deidentify
from offramp.access.audit import Action, audit_record
from offramp.access.consent import CATEGORY_LABELS, consent_may_revoke, consent_state
from offramp.access.models import AuditEntry, Consent, Disclosure
from offramp.access.policy import Category, Scope
from offramp.access.policy import case_team_scope as consent_team_scope  # consents are the case team's
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case
from offramp.cases.queries import case_brief, case_get
from offramp.paging import KeysetPage, Sort, keyset_page
from offramp.programs.models import Membership

AUDIT_PAGE_SIZE = 50
# Newest first, by id: entries are numbered as they are written, and the primary key's index
# serves the order on both databases (seq may be NULL, whose DESC order SQLite and PostgreSQL
# place differently, and an index on it could not serve NULLS FIRST on SQLite).
AUDIT_ORDER = (Sort("id", descending=True),)


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""  # username (or system job label)
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    person_id: int | None = None  # "who looked at this participant?": the person and their cases
    since: dt.date | None = None
    until: dt.date | None = None
    cursor: str = ""  # from the previous page's links (offramp/paging.py); empty: the newest


def audit_entries(actor: Actor, filters: AuditFilter) -> KeysetPage:
    """Entries about the actor's program, and the sign-ins of its staff, newest first.

    Keyset-paged with a count that stops at offramp.paging.COUNT_CAP: a million entries cost what
    a thousand do."""
    actor.require(Category.AUDIT, Scope.PROGRAM)
    staff = Membership.objects.filter(program_id=actor.program_id).values("user_id")
    # The program's own entries are compared through COALESCE, which no index serves: the database
    # then walks the primary key newest first and stops after a page, instead of gathering every
    # entry of the program through the program index and sorting them all (SQLite's choice).
    entries = (
        AuditEntry.objects.alias(in_program=Coalesce("program_id", 0))
        .filter(Q(in_program=actor.program_id) | Q(program__isnull=True, actor_id__in=staff))
        .select_related("actor")
    )
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
    # Read before this reading is itself recorded.
    page = keyset_page(entries, AUDIT_ORDER, cursor=filters.cursor, size=AUDIT_PAGE_SIZE, salt="audit")
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="AuditEntry",
        detail={
            "view": "audit_log",
            **{k: v for k, v in asdict(filters).items() if v not in ("", None) and k != "cursor"},
        },
    )
    return page


def _about_person(actor: Actor, person_id: int) -> Q:
    """Entries naming the person, their cases, or a lookup that matched them."""
    with trusted("access.audit_entries"):
        case_ids = [
            str(pk)
            for pk in Case.objects.filter(program_id=actor.program_id, person_id=person_id).values_list(
                "pk", flat=True
            )
        ]
    return (
        Q(object_type="Person", object_id=str(person_id))
        | Q(object_type="Case", object_id__in=case_ids)
        | Q(detail__person_id=person_id)
    )


ACCOUNTING_YEARS = 3


@dataclass(frozen=True)
class DisclosureAccounting:
    case: object
    consents: list
    disclosures: list
    since: dt.datetime
    may_record: bool = False  # the actor may record and revoke this participant's consents


def consent_form_case(actor: Actor, case_id: int) -> Case:
    """The case whose participant's consent is being recorded: the case team's only, else 404 (audited)."""
    if consent_team_scope(actor) < Scope.OWN:
        raise Http404("Not found")
    case = case_brief(actor, case_id)
    # Someone who reads every case (a project manager) but is on the case team only for their own caseload.
    if consent_team_scope(actor) == Scope.OWN and case.case_manager_id != actor.user_id:
        raise Http404("Not found")
    return case


CATEGORY_LABELS_ES = {
    Category.STATUS: "estado de participación",
    Category.IDENTITY: "nombre y fecha de nacimiento",
    Category.LEGAL: "coordinación legal (estado y fechas)",
    Category.CASE_RECORD: "expediente del caso",
    Category.PART2: "información sobre tratamiento por uso de sustancias",
}


@dataclass(frozen=True)
class ReleaseForm:
    case: object
    consent: Consent
    participant: str
    what_en: list
    what_es: list


def consent_release_form(actor: Actor, case_id: int, consent_id: int) -> ReleaseForm:
    """One consent of the case's participant as the printable release of information, every 42 CFR 2.31
    element from the record: the case team only (as recording one), else 404. Audited as a read."""
    case = consent_form_case(actor, case_id)
    with trusted("privacy.consent_release_form"):
        consent = (
            Consent.objects.filter(program_id=actor.program_id, person_id=case.person_id, pk=consent_id)
            .select_related("person")
            .first()
        )
    if consent is None:
        raise Http404("Not found")
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Consent",
        object_id=consent.pk,
        detail={"view": "release_form", "person_id": case.person_id},
    )
    person = consent.person
    return ReleaseForm(
        case=case,
        consent=consent,
        participant=f"{person.legal_first_name} {person.legal_last_name}",
        what_en=[CATEGORY_LABELS.get(c, c) for c in consent.categories],
        what_es=[CATEGORY_LABELS_ES.get(c, c) for c in consent.categories],
    )


def disclosure_accounting(actor: Actor, case_id: int) -> DisclosureAccounting:
    """The participant's consents and every disclosure of the last three years (42 CFR 2.24 accounting).

    Open to whoever may open the participant's case; outside that, 404.
    """
    case = case_get(actor, case_id)  # 404 outside the actor's scope, and audited as a read
    since = timezone.now() - dt.timedelta(days=365 * ACCOUNTING_YEARS + 1)
    with trusted("access.disclosure_accounting"):
        consents = list(
            Consent.objects.filter(program_id=actor.program_id, person_id=case.person_id).select_related(
                "recorded_by"
            )
        )
        disclosures = list(
            Disclosure.objects.filter(
                program_id=actor.program_id, person_id=case.person_id, disclosed_at__gte=since
            )
            .select_related("disclosed_to", "consent")
            .order_by("-disclosed_at")
        )
    team = consent_team_scope(actor)
    may_record = team == Scope.PROGRAM or (team == Scope.OWN and case.case_manager_id == actor.user_id)
    now = timezone.now()
    for consent in consents:
        consent.state = consent_state(consent, now)
        consent.may_revoke = may_record and consent_may_revoke(consent, now)
        consent.category_labels = [CATEGORY_LABELS.get(c, c) for c in consent.categories]
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Disclosure",
        object_id=case.person_id,
        detail={"view": "disclosure_accounting", "person_id": case.person_id, "count": len(disclosures)},
    )
    return DisclosureAccounting(
        case=case, consents=consents, disclosures=disclosures, since=since, may_record=may_record
    )


def deidentified_export(actor: Actor, *, stable_ids: bool = False) -> list[dict]:
    """One row per case in the program, holding only the Safe Harbor columns (offramp.access.deidentify),
    k-anonymous on the quasi-identifiers at the program's small-cell threshold. Research IDs are this
    export's own unless `stable_ids` (the evaluator asks for IDs that match across exports)."""
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
    key = "" if stable_ids else deidentify.export_key()
    rows = []
    for case in cases:
        person, referral = case.person, case.referral
        referred = referral.referred_at if referral else case.opened_at
        intake = case.intake_completed_at
        row = {
            "research_id": deidentify.research_id(actor.program_id, person.pk, key),
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
    rows, anonymity = deidentify.k_anonymise(rows, actor.program.small_cell)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="DeidentifiedExport",
        detail={
            "rows": len(rows),
            "columns": list(deidentify.COLUMNS),
            "stable_ids": stable_ids,
            **anonymity,
        },
    )
    return rows
