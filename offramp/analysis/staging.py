"""Loading a large records file without holding the database's write lock for long.

SQLite has one writer at a time: a 200,000-row file inserted in one transaction kept every page that
writes (a contact, an audit entry) waiting for the whole load. So a file is read and checked first,
outside any transaction; its rows are then inserted in short transactions of `INSERT_BATCH` rows
under a *staged* batch, which every reader skips (`ImportBatch.Status`); and one brief transaction
makes the batch *loaded*, with its links and its audit entry. A failure part-way removes the staged
rows again, so a file still loads whole or not at all. A batch left staged by a process that died is
removed by the next import after `STALE_HOURS`.

Callers hold the access layer (`trusted`) and have checked the actor's rights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import polars as pl
from django.db import transaction
from django.utils import timezone

from offramp.analysis.models import ImportBatch, LegalEvent, Subject, SubjectLink

INSERT_BATCH = 2000  # rows per insert transaction: well under a second of holding the lock
STALE_HOURS = 6


def batch_stage(**fields) -> ImportBatch:
    with transaction.atomic():
        return ImportBatch.objects.create(status=ImportBatch.Status.STAGED, **fields)


def rows_insert(model, objects: Iterable) -> None:
    """One short transaction per chunk: other writers get the lock between chunks. The rows are built
    before the transaction opens (SQLite takes its write lock at BEGIN)."""
    rows = list(objects)
    with transaction.atomic():
        model.objects.bulk_create(rows)


def subjects_insert(batch: ImportBatch, table: pl.DataFrame) -> None:
    text_fields = [f.name for f in Subject._meta.concrete_fields if f.get_internal_type() == "CharField"]
    cols = [c for c in table.columns if c != "line"]
    for chunk in table.select(cols).iter_slices(INSERT_BATCH):
        rows_insert(
            Subject,
            (
                Subject(
                    program_id=batch.program_id,
                    batch=batch,
                    **{k: ("" if v is None and k in text_fields else v) for k, v in row.items()},
                )
                for row in chunk.iter_rows(named=True)
            ),
        )


def events_insert(batch: ImportBatch, table: pl.DataFrame) -> None:
    cols = [c for c in ("subject_id", "date", "kind", "days", "index_related") if c in table.columns]
    for chunk in table.select(cols).iter_slices(INSERT_BATCH):
        rows_insert(
            LegalEvent,
            (
                LegalEvent(
                    program_id=batch.program_id,
                    batch=batch,
                    **{k: (False if k == "index_related" and v is None else v) for k, v in row.items()},
                )
                for row in chunk.iter_rows(named=True)
            ),
        )


def batch_publish(batch: ImportBatch, links: list[SubjectLink], record: Callable[[], None]) -> None:
    """The one brief transaction that makes a staged batch visible, with its links and audit entry."""
    with transaction.atomic():
        SubjectLink.objects.bulk_create(links, batch_size=INSERT_BATCH)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.LOADED)
        batch.status = ImportBatch.Status.LOADED
        record()


def batch_discard(batch_id: int) -> None:
    """Remove a staged batch and its rows, a chunk per transaction (never a loaded batch)."""
    staged = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.STAGED)
    if not staged.exists():
        return
    for model in (LegalEvent, Subject):
        while True:
            with transaction.atomic():
                ids = list(
                    model.objects.filter(batch_id=batch_id).values_list("pk", flat=True)[:INSERT_BATCH]
                )
                if not ids:
                    break
                model.objects.filter(pk__in=ids).delete()
    with transaction.atomic():
        staged.delete()


def stale_batches_discard(program_id: int) -> None:
    """Batches left staged by an import whose process died (a live one finishes well within hours)."""
    cutoff = timezone.now() - dt.timedelta(hours=STALE_HOURS)
    stale = ImportBatch.objects.filter(
        program_id=program_id, status=ImportBatch.Status.STAGED, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    for batch_id in list(stale):
        batch_discard(batch_id)
