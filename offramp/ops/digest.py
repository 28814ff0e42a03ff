"""Row counts and a content hash of every table: the proof that a restored database equals its backup.

Rows are read in primary-key order (every column, where a table has no primary key) and hashed
as their Python values; both sides of a comparison use the same database engine and driver.
Names come from the database's own catalogue, never from input.
"""

import hashlib
import sqlite3
from dataclasses import dataclass

BATCH = 5000


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str

    def as_json(self) -> dict:
        return {"rows": self.rows, "sha256": self.sha256}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _digest(batches) -> TableDigest:
    digest = hashlib.sha256()
    rows = 0
    for batch in batches:
        for row in batch:
            digest.update(repr(tuple(_value(v) for v in row)).encode())
            digest.update(b"\n")
            rows += 1
    return TableDigest(rows, digest.hexdigest())


def _order(keys: list[str], width: int) -> str:
    return ", ".join(_quoted(k) for k in keys) if keys else ", ".join(str(i + 1) for i in range(width))


def sqlite_digests(db: sqlite3.Connection) -> dict[str, TableDigest]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    digests = {}
    for table in tables:
        columns = list(db.execute(f"PRAGMA table_info({_quoted(table)})"))
        keys = [c[1] for c in sorted((c for c in columns if c[5]), key=lambda c: c[5])]
        cursor = db.execute(
            f"SELECT * FROM {_quoted(table)} ORDER BY {_order(keys, len(columns))}"  # noqa: S608  # nosec B608: names from the catalogue
        )
        digests[table] = _digest(iter(lambda c=cursor: c.fetchmany(BATCH), []))
    return digests


def postgres_digests(raw) -> dict[str, TableDigest]:
    """`raw` is a psycopg connection inside a transaction (a server-side cursor streams each table)."""
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
    digests = {}
    for table in tables:
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [_quoted(table)],
            )
            keys = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s",
                [table],
            )
            width = cursor.fetchone()[0]
        with raw.cursor(name="offramp_digest") as cursor:
            cursor.execute(
                f"SELECT * FROM {_quoted(table)} ORDER BY {_order(keys, width)}"  # noqa: S608  # nosec B608: names from the catalogue
            )
            digests[table] = _digest(iter(lambda c=cursor: c.fetchmany(BATCH), []))
    return digests


def digests_differ(expected: dict, found: dict[str, TableDigest]) -> list[str]:
    """Tables whose rows differ from the manifest's (missing or extra tables included), by name."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want = expected.get(table)
        got = found.get(table)
        if want is None:
            problems.append(f"{table}: not in the backup")
        elif got is None:
            problems.append(f"{table}: missing after restore")
        elif (want["rows"], want["sha256"]) != (got.rows, got.sha256):
            problems.append(
                f"{table}: {got.rows:,} rows restored, {want['rows']:,} backed up, or their content differs"
            )
    return problems
