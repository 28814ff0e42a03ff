"""The SQLite database, its WAL and shared-memory files and every key file are created mode 0600."""

import os
import sqlite3
import stat
import threading

from offramp.ops.sqlite.base import database_file_prepare
from offramp.privatefiles import private_write
from tests.commands import offramp_env, run_offramp
from tests.ops.servers import free_port, http_get, offramp_process


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_running_site_keeps_its_database_and_keys_private(tmp_path):
    env = offramp_env(tmp_path, OFFRAMP_MODE="test")
    # `offramp migrate` itself, from nothing (the other site tests copy a migrated database).
    assert run_offramp("migrate", "-v0", env=env).returncode == 0
    assert run_offramp("keys", "new", "--add-to-local-file", env=env).returncode == 0
    port = free_port()
    with offramp_process("serve", "--port", str(port), env=env, port=port):
        # A reader keeps the database open, as a busy site's connections do, while the site writes
        # its audit log: the write-ahead log and the shared-memory index exist meanwhile.
        reader = sqlite3.connect(tmp_path / "offramp.sqlite3")
        try:
            reader.execute("SELECT count(*) FROM access_auditentry").fetchone()
            assert run_offramp("audit", "verify", env=env).returncode == 0  # writes an audit entry
            assert http_get(f"http://127.0.0.1:{port}/healthz")[0] == 503
            files = {p.name: _mode(p) for p in tmp_path.iterdir() if p.is_file()}
        finally:
            reader.close()
    for name in ("offramp.sqlite3", "offramp.sqlite3-wal", "offramp.sqlite3-shm", "secret_key", "field_keys"):
        assert files.get(name) == 0o600, (name, files)
    assert all(mode == 0o600 for mode in files.values()), files


def test_it_tightens_a_database_left_readable_by_others(tmp_path):
    database = tmp_path / "offramp.sqlite3"
    for path in (database, tmp_path / "offramp.sqlite3-wal"):
        path.write_bytes(b"")
        path.chmod(0o644)
    database_file_prepare(str(database))
    assert _mode(database) == 0o600
    assert _mode(tmp_path / "offramp.sqlite3-wal") == 0o600


def test_a_secret_is_private_from_its_first_byte_whatever_the_umask(tmp_path):
    previous = os.umask(0)
    try:
        private_write(tmp_path / "key", "secret")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "key") == 0o600
    assert (tmp_path / "key").read_text() == "secret"


def test_a_companion_file_that_goes_while_it_is_checked_is_no_error(tmp_path):
    # SQLite removes the -wal and -shm files when the last connection to a database closes: another
    # process's connections coming and going make them appear and vanish while a new connection
    # checks their modes (the cause of a rare HTTP 500 while an import ran beside the site).
    database = tmp_path / "offramp.sqlite3"
    setup = sqlite3.connect(database)
    setup.execute("PRAGMA journal_mode=wal")
    setup.execute("CREATE TABLE t (x)")
    setup.close()
    stop = threading.Event()

    def open_and_close():
        while not stop.is_set():
            other = sqlite3.connect(database)
            other.execute("INSERT INTO t VALUES (1)")
            other.commit()
            other.close()

    churn = threading.Thread(target=open_and_close)
    churn.start()
    try:
        seen = set()
        for _ in range(20_000):
            seen.add((tmp_path / "offramp.sqlite3-shm").exists())
            database_file_prepare(str(database))
    finally:
        stop.set()
        churn.join()
    assert seen == {True, False}, "the companion files never came and went: the check was not exercised"
