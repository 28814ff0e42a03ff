"""`offramp worker` records a heartbeat; /healthz reads it; a task whose worker vanished is failed."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from offramp.access.scope import Actor
from offramp.jobs.lost import LOST_MESSAGE
from offramp.jobs.models import JobProgress, WorkerHeartbeat
from offramp.jobs.progress import job_start
from offramp.programs.roles import Role
from tests.ops.lingering import linger


@pytest.mark.django_db(transaction=True)
def test_it_is_unhealthy_until_a_worker_beats(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "never seen: run `offramp worker`"

    call_command("worker", batch=True, verbosity=0)

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": "ok",
        "worker_last_seen_seconds": 0,
    }
    beat = WorkerHeartbeat.objects.get()
    assert beat.pid > 0 and beat.host


@pytest.mark.django_db
def test_it_is_unhealthy_when_the_newest_beat_is_older_than_the_timeout(client, settings):
    old = timezone.now() - dt.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS + 5)
    WorkerHeartbeat.objects.create(worker_id="w1", host="h", pid=1, started_at=old, beat_at=old)
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["database"] == "ok"
    assert report["worker"].startswith("silent")
    assert report["worker_last_seen_seconds"] >= settings.WORKER_TIMEOUT_SECONDS + 5


def _running_under(worker_id: str, *, started: dt.datetime, upload) -> JobProgress:
    """A task claimed by `worker_id` at `started`, as that worker would have left it."""
    job = job_start(linger, title="Lingering", actor=Actor.system("test"), kwargs={"path": str(upload)})
    result = DBTaskResult.objects.get(pk=job.task_result_id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=started)
    return job


@pytest.mark.django_db(transaction=True)
def test_it_fails_a_task_whose_worker_vanished_and_removes_its_upload(world, settings, client):
    uploads = settings.DATA_DIR / "uploads"
    uploads.mkdir(exist_ok=True)
    upload = uploads / "screening-lost.csv"
    upload.write_text("incident,statute\n")
    silent_since = timezone.now() - dt.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS + 30)
    WorkerHeartbeat.objects.create(
        worker_id="gone", host="h", pid=1, started_at=silent_since, beat_at=silent_since
    )
    job = _running_under("gone", started=silent_since, upload=upload)
    JobProgress.objects.filter(pk=job.pk).update(
        started_by=world.users[Role.SYSTEM_ADMIN], program=world.program
    )

    call_command("worker", batch=True, verbosity=0)  # a new worker: it closes the lost task first

    result = DBTaskResult.objects.get(pk=job.task_result_id)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "offramp.jobs.lost.WorkerLost"
    assert not upload.exists()
    job.refresh_from_db()
    assert job.message == LOST_MESSAGE.format(since=silent_since.strftime("%Y-%m-%d %H:%M:%S"))[:300]
    client.force_login(world.users[Role.SYSTEM_ADMIN])
    progress = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert progress["status"] == "Failed"
    assert progress["finished"] is True
    assert progress["message"].startswith("Stopped: the worker running this task stopped responding")


@pytest.mark.django_db(transaction=True)
def test_it_leaves_alone_a_task_whose_worker_still_beats(settings):
    started = timezone.now() - dt.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS + 30)
    WorkerHeartbeat.objects.create(
        worker_id="alive", host="h", pid=1, started_at=started, beat_at=timezone.now()
    )
    upload = settings.DATA_DIR / "uploads" / "screening-kept.csv"
    upload.parent.mkdir(exist_ok=True)
    upload.write_text("x\n")
    job = _running_under("alive", started=started, upload=upload)

    call_command("worker", batch=True, verbosity=0)

    assert DBTaskResult.objects.get(pk=job.task_result_id).status == TaskResultStatus.RUNNING
    assert upload.exists()
