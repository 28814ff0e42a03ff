"""`offramp worker`: django-tasks-db's worker with a heartbeat, and steady under a busy database.

- A heartbeat thread records that this worker is alive (WorkerHeartbeat) and, at each beat,
  fails the tasks of workers that vanished (offramp/jobs/lost.py).
- A database error between tasks (SQLite busy past its wait, PostgreSQL restarting) is logged
  and retried instead of ending the process; one while recording a task's outcome is retried
  until the outcome is stored, so a task never stays "Running" under a live worker.
- Unless run as a batch, it starts every daily task that has no run waiting (offramp/jobs/schedule.py).
- A sealer thread links the audit entries appended since its last run into the hash chain,
  every few seconds (offramp/access/seal.py), from its own database connection.
- On SQLite the worker waits longer for the write lock than a page does: a page answers 503
  after a few seconds, while background work should queue rather than fail.
"""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from offramp.access.seal import SEAL_EVERY_SECONDS, SEAL_GRACE_SECONDS, audit_seal
from offramp.jobs.lost import lost_tasks_fail
from offramp.jobs.models import WorkerHeartbeat
from offramp.jobs.schedule import daily_all_start

logger = logging.getLogger(__name__)

SQLITE_WORKER_BUSY_SECONDS = 60
RETRY_SECONDS = (1, 2, 5, 10, 30)


def worker_id_new() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def sqlite_wait_longer() -> None:
    """Give this process's SQLite connections a longer wait for the write lock (before any opens)."""
    database = connections.settings["default"]
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"].endswith("sqlite") and options.get("timeout", 5) < SQLITE_WORKER_BUSY_SECONDS:
        options["timeout"] = SQLITE_WORKER_BUSY_SECONDS
        connections["default"].close()  # reopened with the longer wait (a no-op for in-memory test databases)


def heartbeat_record(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now()},
        create_defaults={
            "beat_at": timezone.now(),
            "started_at": started_at,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


class Heartbeat(threading.Thread):
    """Beats every settings.WORKER_HEARTBEAT_SECONDS from its own database connection."""

    def __init__(self, worker_id: str):
        super().__init__(name="offramp-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        close_old_connections()
        try:
            heartbeat_record(self.worker_id, self.started_at)
            lost_tasks_fail()
        except DatabaseError as exc:
            logger.warning("Worker heartbeat not recorded (%s); trying again", exc)

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()


class AuditSealer(threading.Thread):
    """Seals the audit log every `every` seconds; a database error waits for the next turn."""

    def __init__(self, every: float = SEAL_EVERY_SECONDS):
        super().__init__(name="offramp-audit-sealer", daemon=True)
        self.every = every
        self.stopping = threading.Event()

    def seal(self) -> None:
        close_old_connections()
        try:
            audit_seal(grace_seconds=SEAL_GRACE_SECONDS)
        except DatabaseError as exc:
            logger.warning("Audit entries not sealed (%s); trying again", exc)

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                self.seal()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()


class SteadyWorker(Worker):
    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError as exc:
            # The task ran (or failed), but its outcome could not be stored: store a failure, patiently.
            logger.error("Task %s: could not record its outcome (%s); retrying", db_task_result.pk, exc)
            for delay in (*RETRY_SECONDS, *[RETRY_SECONDS[-1]] * 20):
                time.sleep(delay)
                close_old_connections()
                try:
                    db_task_result.set_failed(exc)
                    return
                except DatabaseError:
                    continue
            raise

    def run(self) -> None:
        attempt = 0
        while True:
            try:
                return super().run()
            except DatabaseError as exc:
                if not self.running:
                    return None
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                logger.warning("Worker: database error between tasks (%s); retrying in %s s", exc, delay)
                connections.close_all()
                time.sleep(delay)
                self.startup_delay = False


def worker_run(*, batch: bool, interval: float) -> None:
    """Run tasks until stopped (or, with `batch`, until none is waiting), beating all the while."""
    sqlite_wait_longer()
    worker_id = worker_id_new()
    heartbeat = Heartbeat(worker_id)
    heartbeat.beat()  # at once: /healthz sees the worker, and tasks lost by a dead one are closed first
    heartbeat.start()
    sealer = AuditSealer()
    sealer.start()
    worker = SteadyWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    try:
        if not batch:
            started = daily_all_start()  # a batch run does only what is waiting
            if started:
                logger.info("Daily tasks started: %s", ", ".join(started))
            worker.configure_signals()
        worker.run()
    finally:
        heartbeat.stop()
        sealer.stop()
        if batch:
            audit_seal()  # a batch run leaves nothing unsealed behind it
        else:
            worker.reset_signals()
