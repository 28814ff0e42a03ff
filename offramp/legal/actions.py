"""Changes to legal coordination: one transaction and one audit entry each."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor, trusted
from offramp.legal import queries
from offramp.legal.models import STATEMENT_MAX, Decision, LegalStatement, ProsecutorNote

ERR_STATEMENT_EMPTY = "statement: write the participant's goals and progress for the prosecutor"
ERR_STATEMENT_LONG = f"statement: keep it short, at most {STATEMENT_MAX} characters"
ERR_NOTE_EMPTY = "note: write a note, choose a decision, or both"
ERR_DECISION = "decision: choose hold, dismiss or proceed, or leave it empty"


def legal_statement_write(*, actor: Actor, case_id: int, text: str) -> LegalStatement:
    """The case team writes (or rewrites: a new row) the statement the prosecutor reads."""
    text = (text or "").strip()
    if not text:
        raise ValueError(ERR_STATEMENT_EMPTY)
    if len(text) > STATEMENT_MAX:
        raise ValueError(ERR_STATEMENT_LONG)
    with transaction.atomic():
        with trusted("legal.legal_statement_write"):
            view = queries.legal_case_for(actor, case_id)
            if not view.may_write_statement:
                raise Http404("Not found")
            statement = LegalStatement.objects.create(
                program_id=actor.program_id,
                case=view.case,
                text=text,
                written_by=actor.user,
                written_at=timezone.now(),
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="LegalStatement",
            object_id=statement.pk,
            detail={"case_id": case_id},
        )
    return statement


def prosecutor_note_add(*, actor: Actor, case_id: int, note: str, decision: str) -> ProsecutorNote:
    """The liaison prosecutor notes and decides, under the participant's consent for legal coordination."""
    note, decision = (note or "").strip(), (decision or "").strip()
    if decision and decision not in Decision.values:
        raise ValueError(ERR_DECISION)
    if not note and not decision:
        raise ValueError(ERR_NOTE_EMPTY)
    with transaction.atomic():
        with trusted("legal.prosecutor_note_add"):
            view = queries.legal_case_for(actor, case_id)
            if not view.may_note:
                raise Http404("Not found")
            saved = ProsecutorNote.objects.create(
                program_id=actor.program_id,
                case=view.case,
                note=note,
                decision=decision,
                by=actor.user,
                at=timezone.now(),
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ProsecutorNote",
            object_id=saved.pk,
            detail={"case_id": case_id, "decision": decision},
        )
    return saved
