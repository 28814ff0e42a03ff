"""The audit log as a site runs it: several processes append at once while `offramp worker` is running,
and the worker alone seals every entry into one chain that `offramp audit verify` accepts.

On this run's engine: SQLite, or PostgreSQL (a fresh database beside the run's) when
OFFRAMP_DATABASE_URL names it.
"""

import os
import sqlite3
import subprocess
import urllib.parse

import psycopg
import pytest

from tests.commands import offramp_command, offramp_env, run_offramp
from tests.ops.servers import migrate, offramp_process, wait_until

RUN_URL = os.environ.get("OFFRAMP_DATABASE_URL", "")
PROCESSES, EACH = 4, 25
APPEND = (
    "from offramp.access.audit import audit_record; from offramp.access.scope import Actor; "
    "[audit_record(actor=Actor.system('writer{n}'), action='read', object_type='Case', object_id=i) "
    f"for i in range({EACH})]"
)


@pytest.fixture
def site(tmp_path):
    if not RUN_URL:
        env = offramp_env(tmp_path, OFFRAMP_MODE="test")
        migrate(env)
        yield env
        return
    parts = urllib.parse.urlsplit(RUN_URL)
    name = f"{parts.path.lstrip('/')}_sealing"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = offramp_env(
        tmp_path, OFFRAMP_MODE="test", OFFRAMP_DATABASE_URL=parts._replace(path=f"/{name}").geturl()
    )
    migrate(env)
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _chain(env) -> list:
    sql = "SELECT seq FROM access_auditentry ORDER BY id"
    if env.get("OFFRAMP_DATABASE_URL"):
        with psycopg.connect(env["OFFRAMP_DATABASE_URL"]) as conn:
            return [row[0] for row in conn.execute(sql)]
    with sqlite3.connect(
        f"file:{env['OFFRAMP_DATA_DIR']}/offramp.sqlite3?mode=ro", uri=True, timeout=30
    ) as db:
        return [row[0] for row in db.execute(sql)]


def test_the_worker_seals_what_processes_append_at_once(site, tmp_path):
    with offramp_process("worker", env=site, log=tmp_path / "worker.log"):
        writers = [
            subprocess.Popen(  # noqa: S603  (our own interpreter and module)
                offramp_command("shell", "-c", APPEND.format(n=n)),
                env=site,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for n in range(PROCESSES)
        ]
        for writer in writers:
            output, _ = writer.communicate(timeout=180)
            assert writer.returncode == 0, output.decode()
        wait_until(
            lambda: len(_chain(site)) == PROCESSES * EACH and None not in _chain(site),
            timeout=60,
            what="the worker sealing every entry",
        )
    assert sorted(_chain(site)) == list(range(1, PROCESSES * EACH + 1))
    verified = run_offramp("audit", "verify", env=site)
    assert verified.returncode == 0, verified.stderr
    assert f"Audit chain intact: {PROCESSES * EACH} entries" in verified.stdout
