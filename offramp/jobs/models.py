from django.conf import settings
from django.db import models


class JobProgress(models.Model):
    """How far a background task has got, for its progress page.

    django-tasks keeps a task's status and result; this adds the count of steps
    done and a message, written by the task as it runs.
    """

    task_result_id = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class WorkerHeartbeat(models.Model):
    """A running `offramp worker` says it is alive every few seconds (settings.WORKER_HEARTBEAT_SECONDS).

    /healthz reads the newest beat; a task claimed by a worker whose beats stopped is marked
    failed (offramp/jobs/lost.py), since nothing else will ever finish it.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host}"
