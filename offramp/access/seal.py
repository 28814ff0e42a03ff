"""Sealing the audit log: linking entries appended without a lock into the hash chain, in order.

`audit_record` inserts each entry with its own content hash and no place in the
chain. `audit_seal` takes the unsealed entries in insertion (id) order and gives
each the next `seq`, the previous entry's hash as `prev_hash`, and its
`entry_hash`, then moves the chain head. It runs every few seconds in
`offramp worker` (offramp/jobs/worker.py), on demand as `offramp audit seal`, and
first thing in `offramp audit verify`.

- Several sealers at once are safe: each batch starts by updating the head row,
  which takes that row's lock on PostgreSQL and the database's write lock on
  SQLite, so sealers take turns and each continues from the head the last one
  left. Appends never touch the head, so they do not wait for a sealer on
  PostgreSQL (on SQLite every write waits for the one writer anyway).
- Nothing is skipped: each run selects every entry still without a `seq`, not
  the ids above a mark. An entry whose transaction commits after a later id was
  sealed (PostgreSQL hands out ids before commit) is sealed by the next run,
  after it. `grace_seconds` leaves the newest entries for the next run, so such
  late commits are rare and the chain mostly follows insertion order.
- An unsealed entry whose content no longer matches its content hash is never
  sealed (that would launder the change): it is left unsealed, logged, and
  reported by `offramp audit verify`.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from offramp.access.audit import HEAD_ID
from offramp.access.chain import GENESIS, content_digest, entry_digest
from offramp.access.models import AuditChainHead, AuditEntry

logger = logging.getLogger(__name__)

SEAL_BATCH = 1000
SEAL_EVERY_SECONDS = 2.0  # the worker's interval: entries wait about this long for their seal
SEAL_GRACE_SECONDS = 1.0  # the worker leaves entries younger than this for its next run


@dataclass
class SealReport:
    sealed: int = 0
    head_seq: int = 0
    refused: list[int] = field(default_factory=list)  # ids of unsealed entries altered since written


def _head_locked() -> AuditChainHead:
    """The chain head, locked for this transaction: an UPDATE takes PostgreSQL's row lock and
    SQLite's write lock alike, before anything is read."""
    heads = AuditChainHead.objects.filter(pk=HEAD_ID)
    if not heads.update(seq=F("seq")):
        AuditChainHead.objects.get_or_create(pk=HEAD_ID, defaults={"seq": 0, "entry_hash": GENESIS})
        heads.update(seq=F("seq"))
    return heads.get()


def _chain_columns_write(entries: list[AuditEntry]) -> None:
    """One UPDATE per entry, sent as a batch: linear in the batch, where bulk_update's CASE is not."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = f"UPDATE {table} SET seq = %s, prev_hash = %s, entry_hash = %s WHERE id = %s"  # noqa: S608  # nosec B608: the name is the model's
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(e.seq, e.prev_hash, e.entry_hash, e.pk) for e in entries])


def _seal_batch(after_id: int, cutoff: dt.datetime, size: int, report: SealReport) -> list[AuditEntry]:
    with transaction.atomic():
        head = _head_locked()
        batch = list(
            AuditEntry.objects.filter(seq__isnull=True, id__gt=after_id, at__lte=cutoff).order_by("id")[:size]
        )
        seq, previous = head.seq, head.entry_hash
        linked = []
        for entry in batch:
            if entry.prev_hash or entry.entry_hash or entry.content_hash != content_digest(entry):
                logger.error("Audit entry id %s was altered before it was sealed; left unsealed", entry.pk)
                report.refused.append(entry.pk)
                continue
            seq += 1
            entry.seq, entry.prev_hash = seq, previous
            entry.entry_hash = previous = entry_digest(entry)
            linked.append(entry)
        if linked:
            _chain_columns_write(linked)
            AuditChainHead.objects.filter(pk=HEAD_ID).update(seq=seq, entry_hash=previous)
        report.sealed += len(linked)
        report.head_seq = seq
    return batch


def audit_seal(*, grace_seconds: float = 0.0, batch_size: int = SEAL_BATCH) -> SealReport:
    """Seal every entry written at least `grace_seconds` ago, a batch per transaction. Idempotent:
    a second run finds nothing left to seal."""
    report = SealReport()
    cutoff = timezone.now() - dt.timedelta(seconds=grace_seconds)
    if not AuditEntry.objects.filter(seq__isnull=True, at__lte=cutoff).exists():
        # Nothing waiting: no lock taken (on SQLite, no write), which is most of the worker's turns.
        report.head_seq = AuditChainHead.objects.filter(pk=HEAD_ID).values_list("seq", flat=True).first() or 0
        return report
    after_id = 0
    while True:
        batch = _seal_batch(after_id, cutoff, batch_size, report)
        if len(batch) < batch_size:
            return report
        after_id = batch[-1].pk
