"""The audit log's hash chain: each entry's hash covers its own fields and the previous entry's hash.

Entries are written in two steps (docs/security.md, "Tamper evidence"):

1. `audit_record` inserts the entry with `content_hash`, the SHA-256 of its own
   fields, and no place in the chain yet (`seq` empty). No lock is taken, so
   requests append in parallel.
2. The sealer (`offramp/access/seal.py`) gives unsealed entries their `seq`,
   `prev_hash` (the previous entry's hash) and `entry_hash` (the SHA-256 of all
   their fields with both), in insertion order, a second or so later.

An entry altered, removed or moved in the database no longer matches its hash or
its neighbour's `prev_hash`, so `verify_chain` (the `offramp audit verify` command)
names the first entry where the chain breaks; an entry still waiting to be sealed
is checked against its own content hash. The canonical form is JSON with sorted
keys and UTC times to the microsecond, so it reads back the same from SQLite and
PostgreSQL.
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


def _content(entry: "AuditEntry") -> dict[str, Any]:
    return {
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
    }


def _digest(data: dict[str, Any]) -> str:
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def content_digest(entry: "AuditEntry") -> str:
    """The hash of what the entry says, written with it before it has a place in the chain."""
    return _digest(_content(entry))


def entry_digest(entry: "AuditEntry") -> str:
    """The hash of the sealed entry: what it says, its place (`seq`) and the hash before it."""
    return _digest({**_content(entry), "seq": entry.seq, "prev_hash": entry.prev_hash})


@dataclass(frozen=True)
class ChainReport:
    checked: int  # sealed entries walked
    head_hash: str
    problem: str = ""  # empty when the chain is intact
    bad_seq: int | None = None
    bad_id: int | None = None
    unsealed: int = 0  # entries not yet sealed, each matching its own content hash

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(
    entries: Iterable["AuditEntry"],
    head: "AuditChainHead | None" = None,
    unsealed: Iterable["AuditEntry"] = (),
) -> ChainReport:
    """Walk the sealed `entries` in sequence order, then the `unsealed` ones; report the first bad one.

    `head` is the chain-head row (last sealed sequence number and hash): it catches
    the removal of entries from the end, which no later entry could reveal.
    """
    expected_seq, previous = 1, GENESIS
    checked = 0
    for entry in entries:
        if entry.seq is None or entry.seq != expected_seq:
            missing = entry.seq is not None and entry.seq > expected_seq
            problem = (
                f"entry #{entry.seq} (id {entry.pk}) follows #{expected_seq - 1}: "
                f"{'an entry is missing before it' if missing else 'it is out of order'}"
            )
            return ChainReport(checked, previous, problem, bad_seq=entry.seq, bad_id=entry.pk)
        if entry.prev_hash != previous:
            return ChainReport(
                checked,
                previous,
                f"entry #{entry.seq} (id {entry.pk}) does not link to the entry before it "
                "(entries removed or reordered)",
                bad_seq=entry.seq,
                bad_id=entry.pk,
            )
        if entry_digest(entry) != entry.entry_hash or entry.content_hash not in ("", content_digest(entry)):
            return ChainReport(
                checked,
                previous,
                f"entry #{entry.seq} (id {entry.pk}) was altered: its hash does not match",
                bad_seq=entry.seq,
                bad_id=entry.pk,
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
    waiting = 0
    for entry in unsealed:
        if entry.prev_hash or entry.entry_hash or content_digest(entry) != entry.content_hash:
            return ChainReport(
                checked,
                previous,
                f"entry (id {entry.pk}, not yet sealed) was altered: its content hash does not match",
                bad_id=entry.pk,
                unsealed=waiting,
            )
        waiting += 1
    return ChainReport(checked, previous, unsealed=waiting)
