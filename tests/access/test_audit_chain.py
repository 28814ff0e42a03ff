# ruff: noqa: S608  (tests tamper with the audit table by hand, as an intruder would)
"""The audit log is a hash chain: `offramp audit verify` names the first entry altered, removed or moved."""

import threading
import time
from functools import partial

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections
from django.urls import reverse

from offramp.access.audit import Action, audit_record
from offramp.access.models import AuditChainHead, AuditEntry
from offramp.access.scope import Actor
from offramp.access.seal import audit_seal
from offramp.programs.roles import Role

TABLE = "access_auditentry"


def _write(n=6):
    """Append `n` entries and seal them: the entries as sealed, in chain order."""
    actor = Actor.system("tests")
    written = [
        audit_record(
            actor=actor, action=Action.READ, object_type="Case", object_id=i, detail={"i": i, "when": "x"}
        )
        for i in range(n)
    ]
    assert all(entry.seq is None for entry in written)  # appended without a place in the chain
    assert audit_seal().sealed >= n  # with any written before (a sign-in)
    return list(AuditEntry.objects.filter(pk__in=[e.pk for e in written]).order_by("seq"))


def _tamper(*statements):
    """Change rows behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser can switch the append-only trigger off
            cursor.execute("SET LOCAL session_replication_role = replica")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _verify() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    return str(raised.value)


@pytest.mark.django_db
def test_it_passes_an_untouched_log(capsys):
    _write()
    call_command("audit", "verify")
    assert "Audit chain intact: 6 entries" in capsys.readouterr().out
    # The check itself is recorded, and the chain still verifies after it.
    assert AuditEntry.objects.order_by("-id").first().detail["view"] == "audit_verify"
    call_command("audit", "verify")


@pytest.mark.django_db
def test_it_names_an_altered_entry():
    entries = _write()
    _tamper((f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["someone-else", entries[2].pk]))
    message = _verify()
    assert f"entry #{entries[2].seq} (id {entries[2].pk}) was altered" in message
    assert "after 2 good entries" in message


@pytest.mark.django_db
def test_it_names_an_entry_whose_detail_was_altered():
    entries = _write()
    _tamper((f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ['{"i": 99, "when": "x"}', entries[4].pk]))
    assert f"entry #{entries[4].seq} (id {entries[4].pk}) was altered" in _verify()


@pytest.mark.django_db
def test_it_names_the_entry_after_a_removed_one():
    entries = _write()
    _tamper((f"DELETE FROM {TABLE} WHERE id = %s", [entries[3].pk]))
    message = _verify()
    assert f"entry #{entries[4].seq} (id {entries[4].pk}) follows #{entries[2].seq}" in message
    assert "missing" in message


@pytest.mark.django_db
def test_it_notices_entries_removed_from_the_end():
    entries = _write()
    _tamper((f"DELETE FROM {TABLE} WHERE id = %s", [entries[-1].pk]))
    assert f"the chain ends at #{entries[-2].seq} but its head records #{entries[-1].seq}" in _verify()


@pytest.mark.django_db
def test_it_names_the_first_of_two_swapped_entries():
    entries = _write()
    a, b = entries[1], entries[3]
    _tamper(
        (f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [-1, a.pk]),
        (f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [a.seq, b.pk]),
        (f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [b.seq, a.pk]),
    )
    assert f"entry #{a.seq} (id {b.pk}) does not link to the entry before it" in _verify()


@pytest.mark.django_db
def test_it_names_an_entry_moved_with_its_hash_recomputed():
    """Someone who swaps two whole entries and fixes up their hashes still breaks the links."""
    entries = _write()
    a, b = entries[1], entries[2]
    _tamper(
        (f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [-1, a.pk]),
        (f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [a.seq, b.pk]),
        (f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [b.seq, a.pk]),
    )
    # Recompute each moved entry's own hash for its new position: the link to its neighbour still fails.
    from offramp.access.chain import entry_digest

    moved = AuditEntry.objects.get(pk=b.pk)
    _tamper((f"UPDATE {TABLE} SET entry_hash = %s WHERE id = %s", [entry_digest(moved), b.pk]))
    assert f"entry #{a.seq} (id {b.pk})" in _verify()


@pytest.mark.django_db
def test_it_refuses_changes_through_the_application():
    entry = _write(1)[0]
    entry.actor_label = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        entry.save()
    with pytest.raises(RuntimeError, match="append-only"):
        entry.delete()
    if connection.vendor == "postgresql":  # the database refuses as well (migration 0004)
        from django.db import DatabaseError, transaction

        for sql in (f"UPDATE {TABLE} SET actor_label = 'x'", f"DELETE FROM {TABLE}"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                connection.cursor().execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == "system:tests"


@pytest.mark.django_db
def test_it_stores_utc_times_to_the_microsecond():
    entry = _write(1)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.at == entry.at
    assert stored.at.utcoffset().total_seconds() == 0
    assert entry.at.microsecond == stored.at.microsecond


FAIL_INSERTS = {
    "sqlite": [
        f"CREATE TRIGGER audit_full BEFORE INSERT ON {TABLE} BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION audit_full() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ "
        "LANGUAGE plpgsql",
        f"CREATE TRIGGER audit_full BEFORE INSERT ON {TABLE} FOR EACH ROW EXECUTE FUNCTION audit_full()",
    ],
}


@pytest.mark.django_db
def test_it_fails_the_request_when_the_audit_write_fails(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    _write(2)
    # The database refuses every new audit row (dropped with the test's transaction).
    with connection.cursor() as cursor:
        for sql in FAIL_INSERTS[connection.vendor]:
            cursor.execute(sql)
    client.raise_request_exception = False
    response = client.get(reverse("cases:detail", args=[world.own_case.pk]))
    assert response.status_code == 500
    assert world.own_case.person.legal_last_name.encode() not in response.content


def _retrying(call):
    """Run `call`, waiting out the busy writer that the in-memory SQLite test database (shared cache)
    reports at once instead of waiting as the file database does (timeout)."""
    while True:
        try:
            return call()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.005)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_chain_under_concurrent_writers_and_sealers():
    errors = []
    appending = threading.Event()

    def append(n):
        try:
            actor = Actor.system(f"writer{n}")
            for i in range(8):
                _retrying(partial(audit_record, actor=actor, action=Action.READ, object_id=i))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    def seal():
        try:
            while appending.is_set():
                _retrying(audit_seal)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    appending.set()
    sealers = [threading.Thread(target=seal) for _ in range(2)]
    writers = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in sealers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    appending.clear()
    for thread in sealers:
        thread.join()
    assert not errors
    audit_seal()
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 33))
    assert AuditChainHead.objects.get().seq == 32
    call_command("audit", "verify")
