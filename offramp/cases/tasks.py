import datetime as dt

from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.cases.consent_expiry import consent_expiry_run
from offramp.jobs.progress import job_report
from offramp.jobs.schedule import daily_next


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
        daily_next(consent_expiry, after=timezone.now())
    return {"exit": report.ended_on_exit, "proceeding_end": report.ended_with_proceeding}
