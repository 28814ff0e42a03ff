"""The worker as a user runs it: killed mid-task, the next worker marks the task failed and removes its
upload; `offramp demo` starts its worker again when it dies."""

import json
import os
import signal
import sqlite3

from tests.commands import offramp_env, run_offramp
from tests.ops.servers import free_port, http_get, migrate, offramp_process, wait_until

FAST_BEATS = {"OFFRAMP_WORKER_HEARTBEAT_SECONDS": "1", "OFFRAMP_WORKER_TIMEOUT_SECONDS": "3"}


def _query(db, sql, *args):
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql, args).fetchall()


def _status(db):
    rows = _query(db, "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult")
    return rows[0] if rows else None


def test_a_worker_killed_mid_task_leaves_it_to_the_next_worker_to_fail(tmp_path):
    env = offramp_env(tmp_path, OFFRAMP_MODE="test", **FAST_BEATS)
    migrate(env)
    db = tmp_path / "offramp.sqlite3"
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    upload = uploads / "screening-big.csv"
    upload.write_text("incident,statute\n")
    enqueue = (
        "from offramp.access.scope import Actor; from offramp.jobs.progress import job_start; "
        "from tests.ops.lingering import linger; "
        "job_start(linger, title='Lingering', actor=Actor.system('test'), "
        f"kwargs={{'path': {str(upload)!r}}})"
    )
    assert run_offramp("shell", "-c", enqueue, env=env).returncode == 0

    with offramp_process("worker", env=env, log=tmp_path / "first.log") as first:
        wait_until(lambda: _status(db) == ("RUNNING", ""), what="the first worker claiming the task")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert _status(db)[0] == "RUNNING", "nothing else finishes a task whose worker was killed"

    with offramp_process("worker", env=env, log=tmp_path / "second.log"):
        wait_until(
            lambda: _status(db)[0] == "FAILED", timeout=30, what="the next worker failing the lost task"
        )
    assert _status(db) == ("FAILED", "offramp.jobs.lost.WorkerLost")
    assert not upload.exists()
    (message,) = _query(db, "SELECT message FROM jobs_jobprogress")[0]
    assert message.startswith("Stopped: the worker running this task stopped responding")


def test_the_demo_starts_its_worker_again_when_it_dies(tmp_path):
    port = free_port()
    env = offramp_env(tmp_path, **FAST_BEATS)
    migrate(env)  # a migrated copy: tests/test_cli.py prepares the demo from nothing
    db = tmp_path / "offramp.sqlite3"

    def beating_pids():
        if not db.exists():
            return set()
        try:
            return {pid for (pid,) in _query(db, "SELECT pid FROM jobs_workerheartbeat")}
        except sqlite3.OperationalError:
            return set()  # not migrated yet

    with offramp_process("demo", "--people", "40", "--port", str(port), env=env, log=tmp_path / "demo.log"):
        (first,) = wait_until(beating_pids, timeout=180, what="the demo's worker beating")
        status, _, body = http_get(f"http://127.0.0.1:{port}/healthz")
        assert (status, json.loads(body)["worker"]) == (200, "ok")

        os.kill(first, signal.SIGKILL)

        restarted = wait_until(lambda: beating_pids() - {first}, timeout=60, what="a new worker beating")
        assert len(restarted) == 1
        wait_until(lambda: http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200, timeout=30, what="healthy")
    assert "The worker stopped (exit code -9); starting it again" in (tmp_path / "demo.log").read_text()
