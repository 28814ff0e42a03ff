import datetime as dt
from pathlib import Path

from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.jobs.progress import job_report
from offramp.referrals.intake_clock import intake_clock_run

DAILY_AT = dt.time(6, 0)  # UTC: early morning in the Americas, before case managers start


@task(takes_context=True)
def intake_clock(context: TaskContext, *, now: str = "", reschedule: bool = True) -> dict:
    """The daily intake clock. Unless told otherwise it enqueues its own next run, so one enqueue
    (`offramp intake-clock --enqueue`) keeps it going with a worker running."""
    when = dt.datetime.fromisoformat(now) if now else timezone.now()
    report = intake_clock_run(now=when)
    job_report(context, done=1, total=1, message=f"{len(report.warned)} warned, {len(report.lapsed)} lapsed")
    if reschedule:
        schedule_next(after=timezone.now())
    return {"warned": report.warned, "lapsed": report.lapsed}


def schedule_next(*, after: dt.datetime):
    """Enqueue the next daily run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    path = f"{intake_clock.func.__module__}.{intake_clock.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return None
    next_run = dt.datetime.combine(after.date() + dt.timedelta(days=1), DAILY_AT, tzinfo=dt.UTC)
    return intake_clock.using(run_after=next_run).enqueue()


@task(takes_context=True)
def screening_task(
    context: TaskContext,
    *,
    program_id: int,
    user_id: int,
    path: str,
    file_name: str,
    mapping_text: str,
    version: int | None = None,
) -> dict:
    """Screen an uploaded export in the background, acting as the user who uploaded it (with the roles
    they hold now). The upload is deleted afterwards, loaded or not."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from offramp.access.scope import Actor
    from offramp.programs.models import Membership, Program
    from offramp.referrals.actions import screening_run_create

    upload = Path(path)
    try:
        program = Program.objects.get(pk=program_id)
        user = get_user_model().objects.get(pk=user_id)
        roles = Membership.objects.filter(user=user, program=program, is_active=True).values_list(
            "role", flat=True
        )
        actor = Actor(user=user, program=program, roles=frozenset(roles))
        try:
            run, _frame = screening_run_create(
                actor=actor,
                source=upload,
                file_name=file_name,
                mapping_text=mapping_text,
                version=version,
                progress=lambda done, total, message: job_report(
                    context, done=done, total=total, message=message
                ),
            )
        except ValidationError as exc:
            problems = exc.messages
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            job_report(
                context, done=0, total=None, message=f"Not loaded, nothing stored: {problems[0]}{more}"
            )
            raise
    finally:
        upload.unlink(missing_ok=True)
    job_report(
        context,
        done=run.rows,
        total=run.rows,
        message=f"Screened {run.rows:,} arrests: {run.eligible:,} eligible, {run.diverted:,} diverted, "
        f"{run.missed:,} missed.",
    )
    return {"run": run.pk}
