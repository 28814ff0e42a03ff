"""Changes to legal coordination: one transaction and one audit entry each."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils import timezone

from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.scope import Actor, action
from offramp.legal import queries
from offramp.legal.models import (
    DEFENDER_NOTE_MAX,
    STATEMENT_MAX,
    Decision,
    DefenderNote,
    LegalStatement,
    ProsecutorNote,
)

M = TypeVar("M", bound=models.Model)

ERR_STATEMENT_EMPTY = "statement: write the participant's goals and progress for the prosecutor"
ERR_STATEMENT_LONG = f"statement: keep it short, at most {STATEMENT_MAX} characters"
ERR_NOTE_EMPTY = "note: write a note, choose a decision, or both"
ERR_DECISION = "decision: choose hold, dismiss or proceed, or leave it empty"
ERR_DEFENDER_NOTE_EMPTY = "note: write the note"
ERR_DEFENDER_NOTE_LONG = f"note: keep it short, at most {DEFENDER_NOTE_MAX} characters"


@action("legal.legal_statement_write")
def legal_statement_write(*, actor: Actor, case_id: int, text: str) -> LegalStatement:
    """The case team writes (or rewrites: a new row) the statement the prosecutor and defender read."""
    text = (text or "").strip()
    if not text:
        raise ValueError(ERR_STATEMENT_EMPTY)
    if len(text) > STATEMENT_MAX:
        raise ValueError(ERR_STATEMENT_LONG)
    return _case_row_add(
        actor,
        case_id,
        "may_write_statement",
        LegalStatement,
        {},
        text=text,
        written_by=actor.user,
        written_at=timezone.now(),
    )


@action("legal.prosecutor_note_add")
def prosecutor_note_add(*, actor: Actor, case_id: int, note: str, decision: str) -> ProsecutorNote:
    """The liaison prosecutor notes and decides, under the participant's consent for legal coordination."""
    note, decision = (note or "").strip(), (decision or "").strip()
    if decision and decision not in Decision.values:
        raise ValueError(ERR_DECISION)
    if not note and not decision:
        raise ValueError(ERR_NOTE_EMPTY)
    return _case_row_add(
        actor,
        case_id,
        "may_note",
        ProsecutorNote,
        {"decision": decision},
        note=note,
        decision=decision,
        by=actor.user,
        at=timezone.now(),
    )


@action("legal.defender_note_add")
def defender_note_add(*, actor: Actor, case_id: int, note: str) -> DefenderNote:
    """The public defender's own short note, under the participant's consent to the defender's office
    for legal coordination. Never a decision, and never shown to the prosecutor or the case team."""
    note = (note or "").strip()
    if not note:
        raise ValueError(ERR_DEFENDER_NOTE_EMPTY)
    if len(note) > DEFENDER_NOTE_MAX:
        raise ValueError(ERR_DEFENDER_NOTE_LONG)
    return _case_row_add(
        actor, case_id, "may_defender_note", DefenderNote, {}, note=note, by=actor.user, at=timezone.now()
    )


def _case_row_add(actor: Actor, case_id: int, permission: str, model: type[M], detail: dict, **fields) -> M:
    """One new legal-coordination row on a case, if the actor holds `permission` on it (else an audited
    404, as for a case they cannot see), with its audit entry."""
    view = queries.legal_case_for(actor, case_id)
    if not getattr(view, permission):
        raise audited_not_found(actor, "Case", case_id, detail={"view": model.__name__})
    row = model.objects.create(program_id=actor.program_id, case=view.case, **fields)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type=model.__name__,
        object_id=row.pk,
        detail={"case_id": case_id, **detail},
    )
    return row
