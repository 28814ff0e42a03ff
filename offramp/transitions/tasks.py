import datetime as dt

from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.jobs.progress import job_report
from offramp.transitions.reminders import reminders_run

DAILY_AT = dt.time(6, 30)  # UTC, after the intake clock


@task(takes_context=True)
def service_referral_reminders(context: TaskContext, *, now: str = "", reschedule: bool = True) -> dict:
    """The daily follow-up reminders; unless told otherwise it enqueues its own next run."""
    when = dt.datetime.fromisoformat(now) if now else timezone.now()
    report = reminders_run(now=when)
    job_report(
        context, done=1, total=1, message=f"{len(report.follow_up)} follow-ups due, {len(report.stuck)} stuck"
    )
    if reschedule:
        schedule_next(after=timezone.now())
    return {"follow_up": report.follow_up, "stuck": report.stuck}


def schedule_next(*, after: dt.datetime):
    """Enqueue the next daily run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    func = service_referral_reminders.func
    path = f"{func.__module__}.{func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return None
    next_run = dt.datetime.combine(after.date() + dt.timedelta(days=1), DAILY_AT, tzinfo=dt.UTC)
    return service_referral_reminders.using(run_after=next_run).enqueue()
