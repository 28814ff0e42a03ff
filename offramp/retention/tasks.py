import datetime as dt

from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.access.scope import Actor
from offramp.jobs.progress import job_report
from offramp.jobs.schedule import daily_next
from offramp.programs.models import Program
from offramp.retention.actions import retention_apply


@task(takes_context=True)
def retention_daily(context: TaskContext, *, now: str = "", reschedule: bool = True) -> dict:
    """Every program's retention policy, applied; unless told otherwise it enqueues its next run, so one
    enqueue (`offramp retention --enqueue`) keeps it going with a worker running."""
    when = dt.datetime.fromisoformat(now) if now else timezone.now()
    removed: dict[str, list[int]] = {}
    programs = list(Program.objects.order_by("pk"))
    for done, program in enumerate(programs, start=1):
        report = retention_apply(actor=Actor.system("retention", program), program=program, now=when)
        removed[program.slug] = report.removed
        job_report(context, done=done, total=len(programs), message=f"{program.name}: {len(report.removed)}")
    if reschedule:
        daily_next(retention_daily, after=timezone.now())
    return removed
