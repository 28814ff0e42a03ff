"""`offramp backup FILE` and `offramp restore FILE` for SQLite and PostgreSQL.

A backup file is a tar archive of two members:
- the database: a SQLite file copied through SQLite's online backup API (the site keeps running:
  in WAL mode the copy's read does not block writers), or a PostgreSQL `pg_dump` custom-format
  archive (restorable by hand with `tar -xf FILE database.pgdump` and `pg_restore`);
- `manifest.json`: the engine, the time, row counts and a content hash of every table (taken
  from the same snapshot as the copy), and the ids, never the values, of the field-encryption
  keys that sealed its notes.

Keys stay apart from the data: neither the key file nor OFFRAMP_FIELD_KEYS is in a backup, so a
stolen backup reveals no encrypted note; keep the keys in a separate safe place. Restore goes into
an empty database only, then proves the copy: every table's count and hash against the manifest,
the audit chain verified, and every key the data needs present.
"""

import datetime as dt
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.fieldcrypt import field_keys
from offramp.access.keys import keys_status
from offramp.access.queries import audit_chain_verify
from offramp.access.scope import Actor
from offramp.ops.digest import digests_differ, postgres_digests, sqlite_digests
from offramp.ops.sqlite.base import database_file_prepare
from offramp.privatefiles import private_open

FORMAT = "offramp-backup-1"
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what to do."""


@dataclass
class RestoreReport:
    tables: int
    rows: int
    audit_entries: int
    missing_keys: list[str] = field(default_factory=list)
    migrations_pending: int = 0


# ---------------------------------------------------------------- SQLite


def _sqlite_snapshot(out: Path) -> dict:
    """Copy the live database into `out` with the online backup API; digests of the copy."""
    connection.ensure_connection()
    private_open(out)
    copy = sqlite3.connect(out)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no WAL beside it
        checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"The copy failed SQLite's integrity check: {checked}")
        return sqlite_digests(copy)
    finally:
        copy.close()


def _sqlite_restore(source: Path) -> dict:
    backup = sqlite3.connect(source)
    try:
        checked = backup.execute("PRAGMA integrity_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"The backup's database fails SQLite's integrity check: {checked}")
        connection.close()
        target = str(settings.DATABASES["default"]["NAME"])
        database_file_prepare(target)
        live = sqlite3.connect(target)
        try:
            backup.backup(live)
            live.execute("PRAGMA journal_mode=WAL")
            return sqlite_digests(live)
        finally:
            live.close()
    finally:
        backup.close()


# ---------------------------------------------------------------- PostgreSQL


def pg_tool(name: str) -> str:
    folder = settings.PG_BIN
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools (Debian: postgresql-client) "
            "or set OFFRAMP_PG_BIN to the folder holding them"
        )
    return found


def pg_tool_check(tool: str) -> None:
    """The client tools must be at least the server's major version (pg_dump refuses newer servers)."""
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    client = int(match.group(1)) if match else 0
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(
            f"{Path(tool).name} {client} is older than the PostgreSQL {server} server: install "
            f"postgresql-client-{server} (or set OFFRAMP_PG_BIN to its bin folder)"
        )


def pg_environment() -> dict:
    """Connection settings for pg_dump and pg_restore through libpq's variables (no password on argv)."""
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if database.get("OPTIONS", {}).get(option):
            env[variable] = str(database["OPTIONS"][option])
    return env


def _postgres_snapshot(out: Path) -> dict:
    """pg_dump and the digests read one exported snapshot, so they describe the same moment."""
    tool = pg_tool("pg_dump")
    pg_tool_check(tool)
    private_open(out)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command = [
            tool,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={out}",
        ]
        dump = subprocess.Popen(command, env=pg_environment(), stderr=subprocess.PIPE, text=True)  # noqa: S603
        try:
            digests = postgres_digests(connection.connection)
        finally:
            _, errors = dump.communicate()
    if dump.returncode != 0:
        raise BackupError(
            f"pg_dump failed: {errors.strip().splitlines()[-1] if errors.strip() else dump.returncode}"
        )
    return digests


def _postgres_restore(source: Path) -> dict:
    tool = pg_tool("pg_restore")
    pg_tool_check(tool)
    env = pg_environment()
    command = [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    command += ["--dbname", env.get("PGDATABASE", ""), str(source)]
    connection.close()
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing restored: {done.stderr.strip().splitlines()[-1]}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return postgres_digests(connection.connection)


# ---------------------------------------------------------------- both


def _vendor() -> str:
    if connection.vendor not in MEMBERS:
        raise BackupError(f"offramp backs up SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def key_ids_in_use() -> list[str]:
    return sorted({key for per_key in keys_status().values() for key in per_key if key})


def backup_create(*, actor: Actor, path: Path) -> dict:
    """Write a backup of the whole database to `path` (mode 0600); returns its manifest."""
    vendor = _vendor()
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist")
    audit_record(actor=actor, action=Action.EXPORT, object_type="Database", detail={"backup": path.name})
    keys = key_ids_in_use()
    with tempfile.TemporaryDirectory(prefix=".offramp-backup-", dir=path.parent) as work:
        member = Path(work) / MEMBERS[vendor]
        digests = _sqlite_snapshot(member) if vendor == "sqlite" else _postgres_snapshot(member)
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "created_at": timezone.now().isoformat(),
            "field_key_ids": keys,
            "tables": {name: d.as_json() for name, d in digests.items()},
        }
        partial = Path(work) / "backup.tar"
        private_open(partial)
        with tarfile.open(partial, "w:gz" if vendor == "sqlite" else "w") as archive:
            archive.add(member, arcname=member.name)
            text = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(text)
            info.mtime = int(dt.datetime.now().timestamp())
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(text))
        os.replace(partial, path)
    return manifest


def backup_read(path: Path, work: Path) -> tuple[dict, Path]:
    """The manifest and the extracted database member of a backup file."""
    try:
        with tarfile.open(path, "r:*") as archive:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
            if manifest.get("format") != FORMAT or manifest.get("engine") not in MEMBERS:
                raise BackupError(f"{path.name} is not an offramp backup (unknown format)")
            name = MEMBERS[manifest["engine"]]
            out = work / name
            private_open(out)
            with archive.extractfile(name) as member, out.open("wb") as target:
                shutil.copyfileobj(member, target)
    except (OSError, tarfile.TarError, KeyError, ValueError, AttributeError) as exc:
        raise BackupError(f"{path.name} is not a readable offramp backup: {exc}") from None
    return manifest, out


def _target_empty() -> None:
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as exc:
        raise BackupError(f"Cannot open the database to restore into: {exc}".strip()) from None
    if tables:
        where = "OFFRAMP_DATABASE_URL" if connection.vendor == "postgresql" else "OFFRAMP_DATA_DIR"
        raise BackupError(
            f"The database already holds {len(tables)} tables: restore only into an empty database "
            f"(point {where} at a new, empty one); nothing was changed"
        )


def backup_restore(*, path: Path) -> RestoreReport:
    """Restore a backup into the configured, empty database and prove the copy equals the backup."""
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="offramp-restore-") as work:
        manifest, member = backup_read(path, Path(work))
        if manifest["engine"] != vendor:
            raise BackupError(
                f"{path.name} holds a {ENGINES[manifest['engine']]} database, but this site is configured "
                f"for {ENGINES[vendor]} (OFFRAMP_DATABASE_URL)"
            )
        _target_empty()
        digests = _sqlite_restore(member) if vendor == "sqlite" else _postgres_restore(member)
    problems = digests_differ(manifest["tables"], digests)
    if problems:
        raise BackupError("The restored database differs from the backup: " + "; ".join(problems[:5]))
    chain = audit_chain_verify(actor=Actor.system("restore"))
    if not chain.ok:
        raise BackupError(f"Restored, but the audit chain does not verify: {chain.problem}")
    configured = {key_id for key_id, _ in field_keys()}
    report = RestoreReport(
        tables=len(digests),
        rows=sum(d.rows for d in digests.values()),
        audit_entries=chain.checked,
        missing_keys=[key for key in manifest["field_key_ids"] if key not in configured],
        migrations_pending=len(_pending_migrations()),
    )
    audit_record(
        actor=Actor.system("restore"),
        action=Action.CREATE,
        object_type="Database",
        detail={"restored_from": path.name, "backed_up_at": manifest["created_at"], "tables": report.tables},
    )
    return report


def _pending_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())
