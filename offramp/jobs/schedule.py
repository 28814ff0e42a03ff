"""Daily tasks: each enqueues its own next run, and the worker makes sure each has one waiting.

The tasks live in the apps above this one; settings.DAILY_TASKS names them by dotted path (with
their time of day in UTC), as INSTALLED_APPS names apps, so the worker can start them without
importing upward. A run missed while no worker was up happens as soon as one starts: every daily
task is safe to run more than once a day.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


def task_path(task) -> str:
    return f"{task.func.__module__}.{task.func.__qualname__}"


def daily_next(task, *, after: dt.datetime):
    """Enqueue the task's next daily run, the first at its time of day after `after`'s date, unless one
    is already waiting. Returns the enqueued result, or None."""
    from django_tasks_db.models import DBTaskResult

    path = task_path(task)
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return None
    at = dt.time.fromisoformat(settings.DAILY_TASKS[path])
    next_run = dt.datetime.combine(after.date() + dt.timedelta(days=1), at, tzinfo=dt.UTC)
    return task.using(run_after=next_run).enqueue()


def daily_start(task):
    """Enqueue today's run (at once if its time has passed), unless one is already waiting."""
    return daily_next(task, after=timezone.now() - dt.timedelta(days=1))


def daily_all_start() -> list[str]:
    """Start every daily task that has no run waiting; returns the paths started."""
    return [path for path in settings.DAILY_TASKS if daily_start(import_string(path)) is not None]
