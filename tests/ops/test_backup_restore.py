"""`offramp backup` and `offramp restore`: the copy equals the original, table by table, its audit chain
verifies, and the field-encryption keys never travel with the data.

In-process tests run on this run's database; the round trip runs the commands as a user would, on
this run's engine (SQLite, or PostgreSQL when OFFRAMP_DATABASE_URL names it), while the site serves.
"""

import json
import os
import sqlite3
import tarfile
import urllib.parse

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from offramp.access.fieldcrypt import field_keys
from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.ops.digest import postgres_digests, sqlite_digests
from offramp.people.models import Person
from tests.commands import offramp_env, run_offramp
from tests.ops.servers import free_port, http_get, migrate, offramp_process

RUN_URL = os.environ.get("OFFRAMP_DATABASE_URL", "")
ENGINE = "postgresql" if RUN_URL.startswith("postgres") else "sqlite"
NOTE = "Talked about housing; wants to see the dentist."


def _members(path):
    with tarfile.open(path, "r:*") as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers()}


@pytest.mark.django_db(transaction=True)
def test_it_writes_a_private_backup_with_a_manifest_of_every_table(world, tmp_path, capsys):
    path = tmp_path / "site.backup"
    call_command("backup", str(path))
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    members = _members(path)
    manifest = json.loads(members["manifest.json"])
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["people_person"]["rows"] == 3
    assert manifest["tables"]["access_auditentry"]["rows"] == AuditEntry.objects.count()
    assert set(manifest["tables"]) == set(connection.introspection.table_names())
    database = members["database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"]
    for _key_id, key in field_keys():
        assert key not in database and key.hex().encode() not in database
    assert "Backed up" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="export", object_type="Database").exists()


@pytest.mark.django_db(transaction=True)
def test_it_restores_only_into_an_empty_database(world, tmp_path):
    path = tmp_path / "site.backup"
    call_command("backup", str(path))
    with trusted("test"):
        people = Person.objects.count()
    entries = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="already holds .* tables: restore only into an empty database"):
        call_command("restore", str(path))
    with trusted("test"):
        assert Person.objects.count() == people
    assert AuditEntry.objects.count() == entries


def test_it_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="notes.txt is not a readable offramp backup"):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", str(tmp_path / "absent"))


# ------------------------------------------------------------- the round trip, as a user runs it


def _postgres_database(name: str) -> str:
    """A new empty database beside this run's, for one side of the round trip."""
    parts = urllib.parse.urlsplit(RUN_URL)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def _drop(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def _site(folder, database_url: str | None):
    folder.mkdir()
    extra = {"OFFRAMP_DATABASE_URL": database_url} if database_url else {}
    return offramp_env(folder, OFFRAMP_MODE="test", **extra)


def _digests(env) -> dict:
    if ENGINE == "sqlite":
        with sqlite3.connect(f"file:{env['OFFRAMP_DATA_DIR']}/offramp.sqlite3?mode=ro", uri=True) as db:
            return sqlite_digests(db)
    with psycopg.connect(env["OFFRAMP_DATABASE_URL"]) as raw:
        return postgres_digests(raw)


ADD_NOTE = f"""
from offramp.access.scope import trusted
from offramp.cases.models import Contact
with trusted("test"):
    contact = Contact.objects.order_by("pk").first()
    contact.note = {NOTE!r}
    contact.save(update_fields=["note"])
"""
READ_NOTE = """
from offramp.access.scope import trusted
from offramp.cases.models import Contact
with trusted("test"):
    print(Contact.objects.order_by("pk").first().note)
"""


@pytest.fixture
def sites(tmp_path):
    """Two sites on this run's engine: the original, with data, and an empty one to restore into."""
    base = urllib.parse.urlsplit(RUN_URL).path.lstrip("/") if ENGINE == "postgresql" else ""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # each pytest-xdist worker its own pair
    names = [f"test_{base}_backup_{worker}{side}" for side in ("a", "b")]
    urls = [_postgres_database(name) for name in names] if base else [None, None]
    original = _site(tmp_path / "original", urls[0])
    restored = _site(tmp_path / "restored", urls[1])
    yield original, restored
    for url in urls:
        if url:
            _drop(url)


def test_a_backup_taken_while_the_site_runs_restores_identical_tables_and_a_verifying_chain(sites, tmp_path):
    original, restored = sites
    migrate(original)
    seeded = run_offramp("seed", "--people", "300", "--seed", "7", env=original)
    assert seeded.returncode == 0, seeded.stderr
    assert run_offramp("shell", "-c", ADD_NOTE, env=original).returncode == 0
    backup = tmp_path / "site.backup"
    port = free_port()
    with offramp_process("serve", "--port", str(port), env=original, port=port):
        http_get(f"http://127.0.0.1:{port}/accounts/login/")
        made = run_offramp("backup", str(backup), env=original)
    assert made.returncode == 0, made.stderr
    manifest = json.loads(_members(backup)["manifest.json"])
    (key_id,) = manifest["field_key_ids"]
    assert f"Field-encryption keys needed to read its notes: {key_id}" in made.stdout
    before = _digests(original)

    # Restored without the original's keys: the data arrives whole, and the missing key is named.
    done = run_offramp("restore", str(backup), env=restored)
    assert done.returncode == 0, done.stderr
    assert f"Field-encryption keys missing here: {key_id}" in done.stderr
    after = _digests(restored)
    changed = {table for table in before if before[table] != after[table]}
    # Only the log grows: the backup's own entry was already in the copy, and restore appends two.
    assert changed == {"access_auditentry", "access_auditchainhead"}
    assert after["access_auditentry"].rows == before["access_auditentry"].rows + 2
    assert f"Restored {len(before)} tables" in done.stdout and "each identical to the backup" in done.stdout
    verified = run_offramp("audit", "verify", env=restored)
    assert verified.returncode == 0, verified.stderr
    assert "Audit chain intact" in verified.stdout

    again = run_offramp("restore", str(backup), env=restored)
    assert again.returncode != 0
    assert "restore only into an empty database" in again.stderr


def test_restore_with_the_keys_reads_the_encrypted_notes(sites, tmp_path):
    original, restored = sites
    migrate(original)
    assert run_offramp("seed", "--people", "20", "--seed", "3", env=original).returncode == 0
    assert run_offramp("shell", "-c", ADD_NOTE, env=original).returncode == 0
    backup = tmp_path / "site.backup"
    assert run_offramp("backup", str(backup), env=original).returncode == 0
    keys = (tmp_path / "original" / "field_keys").read_text()
    assert keys.split(":")[1].strip() not in _members(backup)["manifest.json"].decode()
    (tmp_path / "restored" / "field_keys").write_text(keys)  # the keys travel separately

    done = run_offramp("restore", str(backup), env=restored)
    assert done.returncode == 0, done.stderr
    assert "missing" not in done.stderr
    shown = run_offramp("shell", "-c", READ_NOTE, env=restored)
    assert shown.stdout.strip().splitlines()[-1] == NOTE, shown.stderr
