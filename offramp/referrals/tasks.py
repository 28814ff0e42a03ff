import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.cases.intake_clock import intake_clock_run
from offramp.files.problems import InvalidFile
from offramp.jobs.progress import job_progress, job_refused, job_report, job_start
from offramp.jobs.schedule import daily_next
from offramp.privatefiles import upload_keep
from offramp.programs.models import Program
from offramp.referrals import screening
from offramp.referrals.actions import ERR_NO_VERSION, screening_run_create
from offramp.referrals.continuous_actions import arrests_folder_screen
from offramp.referrals.models import ProtocolVersion


@task(takes_context=True)
def intake_clock(context: TaskContext, *, now: str = "", reschedule: bool = True) -> dict:
    """The daily intake clock. Unless told otherwise it enqueues its own next run, so one enqueue
    (`offramp intake-clock --enqueue`) keeps it going with a worker running."""
    when = dt.datetime.fromisoformat(now) if now else timezone.now()
    report = intake_clock_run(now=when)
    job_report(context, done=1, total=1, message=f"{len(report.warned)} warned, {len(report.lapsed)} lapsed")
    if reschedule:
        daily_next(intake_clock, after=timezone.now())
    return {"warned": report.warned, "lapsed": report.lapsed}


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
    upload = Path(path)
    try:
        program = Program.objects.get(pk=program_id)
        user = get_user_model().objects.get(pk=user_id)
        actor = Actor.member_of(user, program)
        try:
            run, _frame = screening_run_create(
                actor=actor,
                source=upload,
                file_name=file_name,
                mapping_text=mapping_text,
                version=version,
                progress=job_progress(context),
            )
        except ValidationError as exc:
            job_refused(context, exc.messages, "Not loaded, nothing stored")
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


def screening_enqueue(*, actor: Actor, upload, mapping_text: str, version: int):
    """Keep an uploaded export where the worker can read it and queue its screening; returns the job.

    The mapping is checked now, so a wrong mapping is refused on the form; the rows are checked by
    the task (a large file takes a while), which deletes the upload when done.
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    if not ProtocolVersion.objects.filter(program_id=actor.program_id, version=version).exists():
        raise ValidationError(ERR_NO_VERSION.format(version=version))
    try:
        screening.load_mapping(mapping_text)
    except InvalidFile as exc:
        raise ValidationError(exc.messages) from None
    path = upload_keep(upload, "screening")  # arrest records: the service account only
    with transaction.atomic():
        job = job_start(
            screening_task,
            title=f"Screening {upload.name}",
            actor=actor,
            kwargs={
                "program_id": actor.program_id,
                "user_id": actor.user_id,
                "path": str(path),
                "file_name": upload.name,
                "mapping_text": mapping_text,
                "version": version,
            },
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="JobProgress",
            object_id=job.pk,
            detail={"task": "screening", "file": upload.name, "protocol_version": version},
        )
    return job


WATCH_EVERY = dt.timedelta(minutes=1)


def watched_programs():
    """(program, folder, mapping text) for each program whose configuration names a watched folder:
    `arrest_watch = {folder = "/srv/offramp/arrests", mapping = "/srv/offramp/rms-mapping.toml"}`."""
    for program in Program.objects.order_by("pk"):
        watch = program.setting("arrest_watch")
        if isinstance(watch, dict) and watch.get("folder") and watch.get("mapping"):
            yield program, Path(watch["folder"]), Path(watch["mapping"]).read_text(encoding="utf-8")


def arrests_watch_pass() -> dict:
    """Screen whatever the records systems dropped in the programs' watched folders."""
    found = {}
    for program, folder, mapping in watched_programs():
        found[program.slug] = arrests_folder_screen(
            actor=Actor.system("arrests-watch", program=program), folder=folder, mapping_text=mapping
        )
    return found


@task(takes_context=True)
def arrests_watch(context: TaskContext, *, reschedule: bool = True) -> dict:
    """Every minute: one pass over the watched folders; enqueues its own next run."""
    found = arrests_watch_pass()
    files = sum(len(v) for v in found.values())
    job_report(context, done=1, total=1, message=f"{files} files screened")
    if reschedule:
        watch_next(after=timezone.now())
    return found


def watch_next(*, after: dt.datetime):
    """Enqueue the next pass unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    path = f"{arrests_watch.func.__module__}.{arrests_watch.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return None
    return arrests_watch.using(run_after=after + WATCH_EVERY).enqueue()
