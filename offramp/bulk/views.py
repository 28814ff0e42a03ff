"""The import page: check a caseload export (and its contacts) against the program and report every
problem at once, then import it as a background task with its progress."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from offramp.bulk.actions import ContactsFile, program_import
from offramp.bulk.forms import ProgramImportForm, example
from offramp.bulk.queries import may_import
from offramp.bulk.tasks import program_import_enqueue
from offramp.privatefiles import upload_save


def _saved(upload, folder: Path, name: str) -> Path:
    return upload_save(upload, folder / (name + Path(upload.name).suffix.lower()))


def _check(actor, data):
    """A dry run over temporary copies of the uploads: the report, nothing written."""
    with tempfile.TemporaryDirectory() as folder:
        contacts = None
        if data.get("contacts"):
            upload = data["contacts"]
            contacts = ContactsFile(
                _saved(upload, Path(folder), "contacts"), data["contacts_mapping"], upload.name
            )
        return program_import(
            actor=actor,
            path=_saved(data["file"], Path(folder), "caseload"),
            mapping_text=data["mapping"],
            file_name=data["file"].name,
            contacts=contacts,
            dry_run=True,
        )


@require_http_methods(["GET", "POST"])
@login_required
def program_import_page(request):
    actor = request.actor
    may_import(actor)
    initial = {
        "mapping": example("generic_case_mapping.toml"),
        "contacts_mapping": example("generic_contacts_mapping.toml"),
    }
    form = ProgramImportForm(request.POST or None, request.FILES or None, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("run") == "import":
            job = program_import_enqueue(
                actor=actor,
                upload=data["file"],
                mapping_text=data["mapping"],
                contacts=data.get("contacts"),
                contacts_mapping=data.get("contacts_mapping") or "",
            )
            return redirect("jobs:detail", job_id=job.pk)
        report = _check(actor, data)
    refused = request.method == "POST" and (not form.is_valid() or (report is not None and report.problems))
    status = 400 if refused else 200
    return render(request, "bulk/import.html", {"form": form, "report": report}, status=status)
