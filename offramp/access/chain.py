"""The audit log's hash chain: each entry's hash covers its own fields and the previous entry's hash.

An entry altered, removed or moved in the database no longer matches its hash or
its neighbour's `prev_hash`, so `verify_chain` (the `offramp audit verify` command)
names the first entry where the chain breaks. The canonical form is JSON with
sorted keys and UTC times to the microsecond, so it reads back the same from
SQLite and PostgreSQL.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder

if TYPE_CHECKING:  # the chain reads entries; it never queries them
    from offramp.access.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


def normalised_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as it will read back from the database (strings for dates, ids and keys)."""
    normal: dict[str, Any] = json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))
    return normal


def canonical(entry: "AuditEntry") -> bytes:
    data = {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "program_id": entry.program_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "source_address": entry.source_address,
        "outcome": entry.outcome,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_digest(entry: "AuditEntry") -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_hash: str
    problem: str = ""  # empty when the chain is intact
    bad_seq: int | None = None
    bad_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(entries: Iterable["AuditEntry"], head: "AuditChainHead | None" = None) -> ChainReport:
    """Walk `entries` in sequence order; report the first that breaks the chain.

    `head` is the chain-head row (last sequence number and hash): it catches the
    removal of entries from the end, which no later entry could reveal.
    """
    expected_seq, previous = 1, GENESIS
    checked = 0
    for entry in entries:
        where = {"bad_seq": entry.seq, "bad_id": entry.pk}
        if entry.seq is None or entry.seq != expected_seq:
            missing = entry.seq is not None and entry.seq > expected_seq
            problem = (
                f"entry #{entry.seq} (id {entry.pk}) follows #{expected_seq - 1}: "
                f"{'an entry is missing before it' if missing else 'it is out of order'}"
            )
            return ChainReport(checked, previous, problem, **where)
        if entry.prev_hash != previous:
            return ChainReport(
                checked,
                previous,
                f"entry #{entry.seq} (id {entry.pk}) does not link to the entry before it "
                "(entries removed or reordered)",
                **where,
            )
        if entry_digest(entry) != entry.entry_hash:
            return ChainReport(
                checked,
                previous,
                f"entry #{entry.seq} (id {entry.pk}) was altered: its hash does not match",
                **where,
            )
        previous, expected_seq, checked = entry.entry_hash, expected_seq + 1, checked + 1
    if head is not None and (head.seq, head.entry_hash) != (expected_seq - 1, previous):
        return ChainReport(
            checked,
            previous,
            f"the chain ends at #{expected_seq - 1} but its head records #{head.seq}: "
            "entries were removed from the end",
            bad_seq=expected_seq,
            bad_id=None,
        )
    return ChainReport(checked, previous)
