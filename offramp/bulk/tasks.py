"""The caseload import as a background task: a large export takes a while, and the page shows its
progress. The uploads wait in the data folder (mode 0600) until the task ends, loaded or not."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import TaskContext, task

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.bulk.actions import ContactsFile, program_import
from offramp.jobs.progress import job_progress, job_report, job_start
from offramp.privatefiles import upload_keep
from offramp.programs.models import Program


@task(takes_context=True)
def program_import_task(
    context: TaskContext,
    *,
    program_id: int,
    user_id: int,
    path: str,
    file_name: str,
    mapping_text: str,
    contacts_path: str = "",
    contacts_name: str = "",
    contacts_mapping_text: str = "",
) -> dict:
    """Import as the user who uploaded (with the roles they hold now); the uploads are deleted after."""
    uploads = [Path(p) for p in (path, contacts_path) if p]
    try:
        actor = Actor.member_of(get_user_model().objects.get(pk=user_id), Program.objects.get(pk=program_id))
        contacts = (
            ContactsFile(Path(contacts_path), contacts_mapping_text, contacts_name) if contacts_path else None
        )
        report = program_import(
            actor=actor,
            path=Path(path),
            mapping_text=mapping_text,
            file_name=file_name,
            contacts=contacts,
            progress=job_progress(context),
        )
    finally:
        for upload in uploads:
            upload.unlink(missing_ok=True)
    if report.problems:
        more = f" (and {len(report.problems) - 1} more; check the files on the import page)"
        message = f"Nothing was imported: {report.problems[0]}" + (more if len(report.problems) > 1 else "")
        job_report(context, done=0, total=None, message=message)
        raise ValueError(message)
    job_report(
        context,
        done=report.rows,
        total=report.rows,
        message=f"Imported {report.rows:,} cases, {report.people_created:,} new people, "
        f"{len(report.joined):,} joined to people already known (same legal name and date of birth), "
        f"{report.contacts:,} contacts, {report.links_suggested:,} links suggested for the case team to "
        "review (possible duplicates).",
    )
    return {
        "rows": report.rows,
        "people_created": report.people_created,
        "contacts": report.contacts,
        "links_suggested": report.links_suggested,
    }


def program_import_enqueue(*, actor: Actor, upload, mapping_text: str, contacts=None, contacts_mapping=""):
    """Keep the uploads where the worker can read them and queue the import; returns the job."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    actor.require(Category.IDENTITY, Scope.PROGRAM)
    path = upload_keep(upload, "caseload")
    contacts_path = upload_keep(contacts, "contacts") if contacts else None
    with transaction.atomic():
        job = job_start(
            program_import_task,
            title=f"Importing the caseload {upload.name}",
            actor=actor,
            kwargs={
                "program_id": actor.program_id,
                "user_id": actor.user_id,
                "path": str(path),
                "file_name": upload.name,
                "mapping_text": mapping_text,
                "contacts_path": str(contacts_path or ""),
                "contacts_name": contacts.name if contacts else "",
                "contacts_mapping_text": contacts_mapping if contacts else "",
            },
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="JobProgress",
            object_id=job.pk,
            detail={
                "task": "program_import",
                "file": upload.name,
                "contacts": contacts.name if contacts else "",
            },
        )
    return job
