"""The worker keeps every daily task scheduled: one run waiting per task, at its time of day."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from offramp.jobs.schedule import daily_all_start, daily_next


def waiting(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path, status="READY"))


def test_every_daily_task_is_started_once_at_its_time(db):
    started = daily_all_start()
    assert sorted(started) == sorted(settings.DAILY_TASKS)
    today = timezone.now().date()
    for path, at in settings.DAILY_TASKS.items():
        (run,) = waiting(path)
        assert run.run_after == dt.datetime.combine(today, dt.time.fromisoformat(at), tzinfo=dt.UTC)
    assert daily_all_start() == []  # a second worker start adds nothing
    assert all(len(waiting(path)) == 1 for path in settings.DAILY_TASKS)


def test_the_next_run_is_the_following_day_and_never_doubled(db):
    path = "offramp.referrals.tasks.intake_clock"
    task = import_string(path)
    after = dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC)
    assert daily_next(task, after=after) is not None
    assert daily_next(task, after=after) is None
    (run,) = waiting(path)
    assert run.run_after == dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


def test_each_named_daily_task_is_a_task_that_reschedules_itself():
    for path in settings.DAILY_TASKS:
        task = import_string(path)
        assert f"{task.func.__module__}.{task.func.__qualname__}" == path
        assert "reschedule" in task.func.__code__.co_varnames
