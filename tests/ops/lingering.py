"""A real task for the worker tests: it reports progress, then works (sleeps) for a long time."""

import time

from django_tasks import TaskContext, task

from offramp.jobs.progress import job_report


@task(takes_context=True)
def linger(context: TaskContext, *, path: str, seconds: float = 120) -> dict:
    job_report(context, done=1, total=2, message=f"reading {path}")
    time.sleep(seconds)
    return {"done": True}
