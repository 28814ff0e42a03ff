"""Reads of legal coordination, minimum necessary and consent-gated, each audited.

The case team and the project manager see legal coordination as far as their legal scope reaches
(own caseload, or the program). The liaison prosecutor's and the public defender's scope is LIMITED
(status and dates) and reaches a participant only under an active consent naming their office (the
actor's side: `side_of`) for legal coordination; the name and date of birth need the consent to
cover identity as well. A case without such a consent answers 404, as a case that does not exist
does. Every view of a gated actor goes to the disclosure ledger. Both sides go through one path,
`legal_case_for`. Nobody outside the case team reads case notes here: the statement of goals and
progress is written for this purpose.

What each side sees of the other: the defender sees the prosecutor's decisions and their dates,
never the prosecutor's note text (minimum necessary: the decision is what the negotiation turns
on); the defender's own notes are seen by the public defender's office only (not the prosecutor,
not the case team).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404

from offramp.access.actions import disclosure_record, disclosures_record
from offramp.access.audit import Action, audit_record
from offramp.access.consent import consents_covering
from offramp.access.models import AuditEntry, Consent
from offramp.access.policy import Category, Scope, case_team_scope
from offramp.access.scope import Actor, trusted
from offramp.analysis.models import ImportBatch, LegalEvent, SubjectLink
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.cases.wording import status_labels
from offramp.legal.models import DefenderNote, LegalStatement, ProsecutorNote
from offramp.legal.pending import KINDS as PENDING_KINDS
from offramp.legal.pending import Pending, open_items
from offramp.programs.roles import Role

LIST_LIMIT = 25  # newest first; each row a prosecutor sees is a disclosure, so the page stays short
SHOWN = "Legal coordination: participation status, dates, legal-system events since referral, open "
SHOWN += "warrants and pending cases, and the case manager's statement of goals and progress"
SHOWN_DEFENDER = SHOWN + ", with the prosecutor's decisions and their dates"
# The gated sides of legal coordination, in order: the role, and the consent's recipient class it needs.
SIDES = (
    (Role.PROSECUTOR, Consent.Recipient.PROSECUTOR),
    (Role.PUBLIC_DEFENDER, Consent.Recipient.PUBLIC_DEFENDER),
)
LISTED = "Legal coordination list: participation status and dates"


def _kind_label(kind: str) -> str:
    """ "charge_felony" reads "Charge felony": the import's event kinds, in words."""
    return kind.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Row:
    case_id: int
    name: str  # "A participant" where identity is not covered
    status: str
    opened_on: dt.date
    decision: str  # the latest decision's label, or ""


@dataclass(frozen=True)
class LegalView:
    case: Case
    name: str
    date_of_birth: dt.date | None
    statement: LegalStatement | None
    events: list  # (kind label, date, days) since the case opened, newest first
    pending: list[Pending]  # open warrants and pending cases, any date, oldest first
    notes: list[ProsecutorNote]  # the prosecutor's notes in full: the case team and the prosecutor
    decisions: list  # (date, decision label): what the public defender sees of the prosecutor's notes
    defender_notes: list[DefenderNote]  # the public defender's office only
    side: str  # the gated actor's recipient class, or "" for the case team
    may_write_statement: bool
    may_note: bool
    may_defender_note: bool


def gated(actor: Actor) -> bool:
    """The actor's legal view is the consent-gated LIMITED one (the prosecutor or the public defender)."""
    return actor.scope(Category.LEGAL) == Scope.LIMITED


def side_of(actor: Actor) -> str:
    """The recipient class a gated actor's consent must name: the prosecutor's office for a prosecutor,
    the public defender's office for a defender (an account holding both is read as the prosecutor's:
    the narrower of the two, since it never shows the defender's notes). "" for the case team."""
    if not gated(actor):
        return ""
    return next(recipient for role, recipient in SIDES if role in actor.roles)


def _cases(actor: Actor):
    scope = actor.require(Category.LEGAL)
    cases = Case.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    return cases


def _consents(actor: Actor, person_ids, category: str) -> dict:
    return consents_covering(
        program_id=actor.program_id,
        person_ids=person_ids,
        recipient_class=side_of(actor),
        category=category,
    )


def legal_cases_for(actor: Actor) -> tuple[list[Row], int]:
    """Open cases in the actor's legal view (newest first, at most LIST_LIMIT) and how many there are."""
    with trusted("legal.legal_cases_for"):
        cases = _cases(actor).filter(status__in=OPEN_STATUSES)
        latest = (
            ProsecutorNote.objects.filter(case=OuterRef("pk")).exclude(decision="").order_by("-at", "-id")
        )
        cases = cases.annotate(decision=Subquery(latest.values("decision")[:1])).select_related("person")
        legal = identity = None
        if gated(actor):
            # The database narrows to people with any consent to the actor's side; the consent rule decides.
            asked = Consent.objects.filter(
                program_id=actor.program_id,
                person_id=OuterRef("person_id"),
                recipient_class=side_of(actor),
            )
            candidates = cases.filter(Exists(asked)).values_list("person_id", flat=True)
            legal = _consents(actor, candidates, Category.LEGAL)
            cases = cases.filter(person_id__in=list(legal))
            identity = _consents(actor, list(legal), Category.IDENTITY)
        total = cases.count()
        shown = list(cases.order_by("-opened_at", "-id")[:LIST_LIMIT])
        labels = dict(ProsecutorNote._meta.get_field("decision").choices)
        statuses = status_labels(actor.program)
        rows = [
            Row(
                c.pk,
                c.person.display_name if identity is None or c.person_id in identity else "A participant",
                statuses[c.status],
                c.opened_at.date(),
                labels.get(c.decision or "", ""),
            )
            for c in shown
        ]
        if legal is not None:
            disclosures_record(
                actor=actor,
                shown=[
                    (
                        legal[c.person_id],
                        [Category.STATUS, Category.LEGAL]
                        + ([Category.IDENTITY] if c.person_id in identity else []),
                    )
                    for c in shown
                ],
                description=LISTED,
            )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Case",
        detail={"view": "legal_list", "ids": [r.case_id for r in rows]},
    )
    return rows, total


@dataclass(frozen=True)
class Access:
    case: Case
    consent: Consent | None  # the gated actor's consent for legal coordination; None for the case team
    side: str  # the consent's recipient class (side_of), "" for the case team
    named: bool  # whether identity is covered
    may_write_statement: bool
    may_note: bool  # the prosecutor's notes and decisions
    may_defender_note: bool  # the public defender's own notes


def legal_case_for(actor: Actor, case_id: int) -> Access:
    """The case and what the actor may do with it, or 404 (no record and no consent alike, audited).
    Call inside trusted()."""
    case = _cases(actor).filter(pk=case_id).select_related("person").first()
    consent = identity = None
    if case is not None and gated(actor):
        consent = _consents(actor, [case.person_id], Category.LEGAL).get(case.person_id)
        identity = _consents(actor, [case.person_id], Category.IDENTITY).get(case.person_id)
        if consent is None:
            case = None
    if case is None:
        audit_record(
            actor=actor,
            action=Action.READ,
            object_type="Case",
            object_id=case_id,
            outcome=AuditEntry.Outcome.NOT_FOUND,
            detail={"view": "legal_case"},
        )
        raise Http404("Not found")
    team = case_team_scope(actor)
    side = side_of(actor) if consent is not None else ""
    return Access(
        case=case,
        consent=consent,
        side=side,
        named=consent is None or identity is not None,
        may_write_statement=team == Scope.PROGRAM
        or (team == Scope.OWN and case.case_manager_id == actor.user_id),
        may_note=side == Consent.Recipient.PROSECUTOR,
        may_defender_note=side == Consent.Recipient.PUBLIC_DEFENDER,
    )


def legal_case_get(actor: Actor, case_id: int) -> LegalView:
    """One case's legal coordination, or 404; audited, and a disclosure when a gated actor reads it."""
    with trusted("legal.legal_case_get"):
        access = legal_case_for(actor, case_id)
        case = access.case
        statement = LegalStatement.objects.filter(case=case).select_related("written_by").first()
        linked = SubjectLink.objects.filter(
            program_id=actor.program_id, person_id=case.person_id, status=SubjectLink.Status.ACCEPTED
        ).values("subject_id")
        records = LegalEvent.objects.filter(
            program_id=actor.program_id,
            subject_id__in=linked,
            batch__status=ImportBatch.Status.LOADED,  # not an events file still loading
        )
        events = [
            (_kind_label(e.kind), e.date, e.days)
            for e in records.filter(date__gt=case.opened_at.date()).order_by("-date", "-id")
        ]
        pending = open_items(records.filter(kind__in=PENDING_KINDS).values_list("kind", "date"))
        notes = list(ProsecutorNote.objects.filter(case=case).select_related("by"))
        decisions = [(n.at, n.get_decision_display()) for n in notes if n.decision]
        defender = access.side == Consent.Recipient.PUBLIC_DEFENDER
        defender_notes = list(DefenderNote.objects.filter(case=case).select_related("by")) if defender else []
        if defender:
            notes = []  # the defender sees the prosecutor's decisions and dates, not the notes
        if access.consent is not None:
            categories = [Category.STATUS, Category.LEGAL] + ([Category.IDENTITY] if access.named else [])
            described = SHOWN_DEFENDER if defender else SHOWN
            disclosure_record(
                actor=actor, consent=access.consent, description=described, categories=categories
            )
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Case",
        object_id=case.pk,
        detail={"view": "legal_case", **({"side": access.side} if access.side else {})},
    )
    return LegalView(
        case=case,
        name=case.person.display_name if access.named else "A participant",
        date_of_birth=case.person.date_of_birth if access.named else None,
        statement=statement,
        events=events,
        pending=pending,
        notes=notes,
        decisions=decisions,
        defender_notes=defender_notes,
        side=access.side,
        may_write_statement=access.may_write_statement,
        may_note=access.may_note,
        may_defender_note=access.may_defender_note,
    )
