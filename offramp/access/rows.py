"""The one getter for a row of the actor's program that has no getter of its own: the row, locked for
change by default, or an audited 404 (absent and out of the actor's program answer the same)."""

from typing import TypeVar

from django.db import models

from offramp.access.audit import audited_not_found
from offramp.access.scope import Actor

M = TypeVar("M", bound=models.Model)


def program_row(actor: Actor, rows: type[M] | models.QuerySet[M], pk: object, *, lock: bool = True) -> M:
    """`rows` (a model, or a queryset already narrowed to what the actor may touch) at `pk` in the
    actor's program. Call inside trusted(); with `lock`, inside the action's transaction."""
    queryset = rows if isinstance(rows, models.QuerySet) else rows._default_manager.all()
    queryset = queryset.filter(program_id=actor.program_id, pk=pk)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    row = queryset.first()
    if row is None:
        raise audited_not_found(actor, queryset.model.__name__, pk)
    return row
