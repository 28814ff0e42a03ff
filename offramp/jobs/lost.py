"""Tasks whose worker vanished: marked failed with the reason, their uploads removed.

A worker killed mid-task (out of memory, a reboot, `kill -9`) leaves its task
"Running" for ever, since nothing else will finish it. Every live worker looks,
at each heartbeat, for running tasks whose worker has been silent longer than
settings.WORKER_TIMEOUT_SECONDS, and closes them.
"""

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from offramp.jobs.models import JobProgress, WorkerHeartbeat

logger = logging.getLogger(__name__)

LOST_MESSAGE = (
    "Stopped: the worker running this task stopped responding (no heartbeat since {since} UTC), "
    "so it did not finish and its upload was removed. Start it again."
)
HEARTBEATS_KEPT = dt.timedelta(days=1)


class WorkerLost(RuntimeError):
    """The worker that claimed a task stopped sending heartbeats before finishing it."""


def uploads_folder() -> Path:
    return settings.DATA_DIR / "uploads"


def task_uploads(kwargs: dict) -> list[Path]:
    """Files a task was given to read that live in the data folder's uploads (never anything else)."""
    folder = uploads_folder().resolve()
    found = []
    for value in kwargs.values():
        if isinstance(value, str) and value:
            path = Path(value).resolve()
            if path.parent == folder:
                found.append(path)
    return found


def lost_tasks_fail(*, now: dt.datetime | None = None) -> list[str]:
    """Mark failed every running task whose worker is silent past the timeout; returns their ids."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS)
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    failed = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        last_beat = beats.get(worker)
        if last_beat is not None and last_beat >= cutoff:
            continue
        since = last_beat or result.started_at
        with transaction.atomic():
            locked = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if locked is None:
                continue  # finished meanwhile
            message = LOST_MESSAGE.format(since=since.strftime("%Y-%m-%d %H:%M:%S"))
            locked.set_failed(WorkerLost(message))
            JobProgress.objects.filter(task_result_id=str(locked.pk)).update(message=message[:300])
        for path in task_uploads(result.args_kwargs.get("kwargs", {})):
            path.unlink(missing_ok=True)
        logger.warning(
            "Task %s (%s) marked failed: worker %s stopped responding", result.pk, result.task_path, worker
        )
        failed.append(str(result.pk))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - HEARTBEATS_KEPT).delete()
    return failed
