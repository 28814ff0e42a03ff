from typing import Any

from django.http import Http404
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from offramp.access.scope import Actor
from offramp.jobs.models import JobProgress


def job_get(actor: Actor, job_id: int) -> JobProgress:
    """A job this user started, with the task's current status; anyone else's is 404."""
    try:
        job = JobProgress.objects.get(pk=job_id, started_by_id=actor.user_id, program_id=actor.program_id)
    except JobProgress.DoesNotExist:
        raise Http404("Not found") from None
    try:
        job.result = default_task_backend.get_result(job.task_result_id)
    except TaskResultDoesNotExist:
        job.result = None
    return job


def job_state(job: JobProgress) -> dict[str, Any]:
    """What the progress page shows, as plain data for the page and its polling script."""
    result = job.result
    return {
        "status": str(TaskResultStatus(result.status).label)
        if result is not None
        else "Waiting for a worker",
        "finished": bool(result is not None and result.is_finished),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
    }
