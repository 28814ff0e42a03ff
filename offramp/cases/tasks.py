import datetime as dt

from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.cases.consent_expiry import consent_expiry_run
from offramp.jobs.progress import job_report

DAILY_AT = dt.time(5, 30)  # UTC, before the intake clock: a consent ended overnight is ended for the day


@task(takes_context=True)
def consent_expiry(context: TaskContext, *, now: str = "", reschedule: bool = True) -> dict:
    """The daily end of consents whose event happened; unless told otherwise it enqueues its next run,
    so one enqueue (`offramp consent-expiry --enqueue`) keeps it going with a worker running."""
    when = dt.datetime.fromisoformat(now) if now else timezone.now()
    report = consent_expiry_run(now=when)
    ended = len(report.ended_on_exit) + len(report.ended_with_proceeding)
    job_report(
        context, done=1, total=1, message=f"{ended} ended on their event, {report.ended_by_date} by date"
    )
    if reschedule:
        schedule_next(after=timezone.now())
    return {"exit": report.ended_on_exit, "proceeding_end": report.ended_with_proceeding}


def schedule_next(*, after: dt.datetime):
    """Enqueue the next daily run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    func = consent_expiry.func
    path = f"{func.__module__}.{func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return None
    next_run = dt.datetime.combine(after.date() + dt.timedelta(days=1), DAILY_AT, tzinfo=dt.UTC)
    return consent_expiry.using(run_after=next_run).enqueue()
