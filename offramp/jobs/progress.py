"""Starting background tasks and letting them report how far they have got."""

from collections.abc import Callable

from django_tasks import TaskContext

from offramp.access.scope import Actor
from offramp.jobs.models import JobProgress


def job_start(task, *, title: str, actor: Actor, kwargs: dict) -> JobProgress:
    """Enqueue a task and create its progress record, which its page reads."""
    result = task.enqueue(**kwargs)
    progress, _ = JobProgress.objects.update_or_create(
        task_result_id=str(result.id),
        defaults={"title": title, "program": actor.program, "started_by": actor.user},
    )
    return progress


def job_report(context: TaskContext, *, done: int, total: int | None = None, message: str = "") -> None:
    """Called by a running task; safe even if the worker got to the task before its record was written."""
    JobProgress.objects.update_or_create(
        task_result_id=str(context.task_result.id),
        defaults={"done": done, "total": total, "message": message[:300]},
        create_defaults={
            "done": done,
            "total": total,
            "message": message[:300],
            "title": context.task_result.task.name,
        },
    )


def job_progress(context: TaskContext) -> Callable[[int, int | None, str], None]:
    """The `progress(done, total, message)` callback the actions take, reporting for this task."""
    return lambda done, total, message: job_report(context, done=done, total=total, message=message)


def job_refused(context: TaskContext, problems: list[str], lead: str) -> None:
    """Report that the task's input was refused: `lead`, the first problem and how many more."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    job_report(context, done=0, total=None, message=f"{lead}: {problems[0]}{more}")
