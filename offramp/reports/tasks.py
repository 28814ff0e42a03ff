from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import TaskContext, task

from offramp.access.audit import Action, audit_record
from offramp.access.scope import Actor
from offramp.jobs.progress import job_progress, job_refused, job_report, job_start
from offramp.privatefiles import upload_keep
from offramp.programs.models import Program
from offramp.reports import council_actions


@task(takes_context=True)
def council_report_task(
    context: TaskContext,
    *,
    program_id: int,
    user_id: int,
    arrests: str,
    records: str,
    arrests_name: str,
    records_name: str,
    arrests_mapping: str,
    records_mapping: str,
) -> dict:
    """Make a council report in the background as the user who asked (with the roles they hold now);
    the uploads are deleted afterwards, made or not."""
    try:
        program = Program.objects.get(pk=program_id)
        actor = Actor.member_of(get_user_model().objects.get(pk=user_id), program)
        try:
            saved = council_actions.council_report_create(
                actor=actor,
                arrests=Path(arrests),
                records=Path(records),
                arrests_name=arrests_name,
                records_name=records_name,
                arrests_mapping=arrests_mapping,
                records_mapping=records_mapping,
                progress=job_progress(context),
            )
        except ValidationError as exc:
            job_refused(context, exc.messages, "No report made, nothing stored")
            raise
    finally:
        Path(arrests).unlink(missing_ok=True)
        Path(records).unlink(missing_ok=True)
    job_report(
        context,
        done=council_actions.council.STEPS,
        total=council_actions.council.STEPS,
        message=f"Council report {saved.pk} is ready on the council report page.",
    )
    return {"report": saved.pk}


def council_report_enqueue(*, actor: Actor, arrests, records, arrests_mapping: str, records_mapping: str):
    """Check the mappings, keep the uploads and queue the report; returns the job."""
    council_actions.council.require_roles(actor)
    council_actions.check_mapping_texts(arrests_mapping, records_mapping)
    arrests_path = upload_keep(arrests, "council-arrests")
    records_path = upload_keep(records, "council-records")
    with transaction.atomic():
        job = job_start(
            council_report_task,
            title=f"Council report from {arrests.name} and {records.name}",
            actor=actor,
            kwargs={
                "program_id": actor.program_id,
                "user_id": actor.user_id,
                "arrests": str(arrests_path),
                "records": str(records_path),
                "arrests_name": arrests.name,
                "records_name": records.name,
                "arrests_mapping": arrests_mapping,
                "records_mapping": records_mapping,
            },
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="JobProgress",
            object_id=job.pk,
            detail={"task": "council_report", "arrests": arrests.name, "records": records.name},
        )
    return job
