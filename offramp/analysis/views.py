import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from offramp.access.policy import EVALUATE
from offramp.analysis import actions, queries
from offramp.analysis.forms import ImportForm, LinkDecisionForm, StudyForm
from offramp.analysis.models import StudyRun
from offramp.analysis.presentation import report_context
from offramp.analysis.tasks import study_run_task
from offramp.jobs.progress import job_start
from offramp.privatefiles import upload_save

EXAMPLE_STUDY = Path(__file__).resolve().parents[1] / "evaluation" / "examples" / "seattle_design.toml"


@require_http_methods(["GET", "POST"])
@login_required
def study_new(request):
    request.actor.require(*EVALUATE)
    form = StudyForm(request.POST or None, initial={"toml": EXAMPLE_STUDY.read_text()})
    if request.method == "POST" and form.is_valid():
        try:
            study = actions.study_create(actor=request.actor, toml=form.cleaned_data["toml"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("toml", message)
        else:
            messages.success(request, f"Saved the study “{study.name}”.")
            return redirect("web:evaluation")
    return render(request, "analysis/study_form.html", {"form": form})


@require_POST
@login_required
def run_start(request, study_id: int):
    """Queue a run of the study as a background task and show its progress."""
    actor = request.actor
    study = queries.study_get(actor, study_id)
    run = actions.study_run_create(actor=actor, study=study)
    job = job_start(
        study_run_task,
        title=f"Running the study “{study.name}”",
        actor=actor,
        kwargs={"run_id": run.pk, "program_id": actor.program_id, "user_id": actor.user_id},
    )
    actions.study_run_attach_job(actor=actor, run=run, job=job)
    return redirect("jobs:detail", job_id=job.pk)


@require_GET
@login_required
def run_report(request, run_id: int):
    run = queries.run_get(request.actor, run_id)
    if run.status != StudyRun.Status.SUCCEEDED:
        return render(request, "analysis/run_pending.html", {"run": run})
    context = report_context(run.result, small_cell=request.actor.program.small_cell)
    return render(request, "analysis/report.html", {"run": run, **context})


@require_GET
@login_required
def run_json(request, run_id: int):
    run = queries.run_get(request.actor, run_id)
    response = JsonResponse(
        {"status": run.status, "error": run.error, "result": run.result}, json_dumps_params={"indent": 1}
    )
    # A file to keep (exact numbers), not a page to read.
    response["Content-Disposition"] = f'attachment; filename="study-run-{run.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def records_import(request):
    """A project manager loads a people or events export with its column mapping."""
    actor = request.actor
    summary = queries.import_summary(actor)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = upload_save(upload, Path(tmp) / f"upload{suffix}")
            try:
                batch = actions.records_import(
                    actor=actor,
                    path=path,
                    mapping_text=form.cleaned_data["mapping"],
                    source=form.cleaned_data["source"],
                    file_name=upload.name,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Loaded {batch.rows:,} rows from {batch.file_name}.")
                return redirect("analysis:import")
    return render(request, "analysis/import.html", {"form": form, **summary})


@require_http_methods(["GET", "POST"])
@login_required
def links_review(request):
    """A project manager accepts or rejects proposed links between imported subjects and participants."""
    actor = request.actor
    if request.method == "POST":
        form = LinkDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose accept or reject for one link.")
            return redirect("analysis:links")
        accept = form.cleaned_data["decision"] == "accept"
        try:
            link = actions.link_decide(actor=actor, link_id=form.cleaned_data["link"], accept=accept)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages).capitalize() + ".")
        else:
            verb = "Accepted" if accept else "Rejected"
            messages.success(request, f"{verb} the link for record {link.subject.source_id}.")
        return redirect("analysis:links")
    rows, total = queries.links_for_review(actor)
    return render(request, "analysis/links.html", {"rows": rows, "total": total})
