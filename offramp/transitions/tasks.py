import datetime as dt

from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.jobs.progress import job_report
from offramp.jobs.schedule import daily_next
from offramp.transitions.reminders import reminders_run


@task(takes_context=True)
def service_referral_reminders(context: TaskContext, *, now: str = "", reschedule: bool = True) -> dict:
    """The daily follow-up reminders; unless told otherwise it enqueues its own next run."""
    when = dt.datetime.fromisoformat(now) if now else timezone.now()
    report = reminders_run(now=when)
    job_report(
        context, done=1, total=1, message=f"{len(report.follow_up)} follow-ups due, {len(report.stuck)} stuck"
    )
    if reschedule:
        daily_next(service_referral_reminders, after=timezone.now())
    return {"follow_up": report.follow_up, "stuck": report.stuck}
