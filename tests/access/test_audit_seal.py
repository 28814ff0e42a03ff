# ruff: noqa: S608  (tests tamper with the audit table by hand, as an intruder would)
"""Appends take no lock; the sealer links them into one chain, in order, once, and never seals a forgery."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from offramp.access.audit import Action, audit_record
from offramp.access.chain import verify_chain
from offramp.access.models import AuditChainHead, AuditEntry
from offramp.access.scope import Actor
from offramp.access.seal import audit_seal

TABLE = "access_auditentry"


def _append(n, label="tests"):
    return [audit_record(actor=Actor.system(label), action=Action.READ, object_id=i) for i in range(n)]


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser can switch the append-only trigger off
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


@pytest.mark.django_db
def test_it_seals_in_insertion_order_and_only_once():
    written = _append(5)
    first = audit_seal()
    assert (first.sealed, first.head_seq, first.refused) == (5, 5, [])
    columns = ("pk", "seq", "prev_hash", "entry_hash")
    chain = list(AuditEntry.objects.order_by("seq").values_list(*columns))
    assert [pk for pk, *_ in chain] == [e.pk for e in written]
    assert [seq for _, seq, *_ in chain] == [1, 2, 3, 4, 5]
    assert all(chain[i][2] == chain[i - 1][3] for i in range(1, 5))
    # Again: nothing left to seal, nothing changed.
    again = audit_seal()
    assert (again.sealed, again.head_seq) == (0, 5)
    assert list(AuditEntry.objects.order_by("seq").values_list(*columns)) == chain
    assert AuditChainHead.objects.get().entry_hash == chain[-1][3]
    # Later entries continue the same chain.
    _append(2)
    assert audit_seal().head_seq == 7
    call_command("audit", "verify")


@pytest.mark.django_db
def test_it_leaves_the_newest_entries_to_a_later_run():
    _append(3)
    assert audit_seal(grace_seconds=60).sealed == 0
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 3
    assert audit_seal().sealed == 3


@pytest.mark.django_db
def test_it_refuses_to_seal_an_unsealed_entry_that_was_altered():
    sealed = _append(2)
    audit_seal()
    waiting = _append(3, label="later")
    _tamper(f"UPDATE {TABLE} SET object_id = %s WHERE id = %s", ["someone-else", waiting[1].pk])
    with pytest.raises(CommandError, match=rf"ids {waiting[1].pk}\b"):
        call_command("audit", "seal")
    # The others were sealed around it; the altered one keeps no place in the chain.
    assert AuditEntry.objects.get(pk=waiting[1].pk).seq is None
    assert AuditEntry.objects.filter(pk__in=[waiting[0].pk, waiting[2].pk], seq__isnull=False).count() == 2
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert f"entry (id {waiting[1].pk}, not yet sealed) was altered" in str(raised.value)
    assert "after 4 good entries" in str(raised.value)
    assert AuditEntry.objects.filter(pk=sealed[0].pk, seq=1).exists()


@pytest.mark.django_db
def test_it_notices_an_unsealed_entry_given_a_chain_place_by_hand():
    _append(2)
    audit_seal()
    waiting = _append(1)[0]
    _tamper(f"UPDATE {TABLE} SET prev_hash = %s WHERE id = %s", ["f" * 64, waiting.pk])
    assert audit_seal().refused == [waiting.pk]


def test_verify_counts_entries_still_waiting_by_their_own_hash():
    entry = AuditEntry(actor_label="x", action="read", detail={})
    from django.utils import timezone

    from offramp.access.chain import content_digest

    entry.at = timezone.now()
    entry.content_hash = content_digest(entry)
    report = verify_chain([], unsealed=[entry])
    assert report.ok and report.unsealed == 1 and report.checked == 0
    entry.actor_label = "y"
    assert not verify_chain([], unsealed=[entry]).ok


@pytest.mark.django_db
def test_postgresql_lets_through_only_the_seal():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite relies on the model and on verify")
    entry = _append(1)[0]
    refused = (
        # changing what an unsealed entry says, alone or while sealing it
        (f"UPDATE {TABLE} SET actor_label = 'x' WHERE id = %s", [entry.pk]),
        (f"UPDATE {TABLE} SET seq = 1, entry_hash = 'a', actor_label = 'x' WHERE id = %s", [entry.pk]),
    )
    for sql, params in refused:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql, params)
    audit_seal()
    # A sealed entry cannot be sealed again, nor moved.
    for sql in (f"UPDATE {TABLE} SET seq = 2 WHERE id = %s", f"UPDATE {TABLE} SET seq = NULL WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql, [entry.pk])
    call_command("audit", "verify")


@pytest.mark.django_db(transaction=True)
def test_an_entry_committed_after_a_later_one_was_sealed_is_sealed_next():
    """PostgreSQL gives out ids at insert, so id 1 may commit after id 2 was sealed: it is not skipped."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: ids commit in order")
    inserted, release, slow = threading.Event(), threading.Event(), {}

    def slow_request():
        try:
            with transaction.atomic():
                slow["entry"] = _append(1, label="slow")[0]
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_request)
    thread.start()
    assert inserted.wait(10)
    fast = _append(1, label="fast")[0]
    assert fast.pk > slow["entry"].pk
    assert audit_seal().sealed == 1  # the fast one; the slow one is not committed yet
    release.set()
    thread.join()
    assert audit_seal().sealed == 1
    assert AuditEntry.objects.get(pk=fast.pk).seq == 1
    assert AuditEntry.objects.get(pk=slow["entry"].pk).seq == 2
    call_command("audit", "verify")
