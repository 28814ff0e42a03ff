import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_GET, require_http_methods

from offramp.access.policy import CONFIGURE
from offramp.directory import actions, queries
from offramp.directory.forms import SearchForm, UploadForm
from offramp.directory.writing import to_json, to_tabular
from offramp.files.problems import MAX_SHOWN
from offramp.privatefiles import upload_save

UPLOAD_SUFFIXES = {".json", ".zip"}
WRONG_SUFFIX = "Upload a .json file or a .zip of the data package."


@require_GET
@login_required
def search(request):
    """Case workers find services by need, words, language and distance from a named place; phone first."""
    actor = request.actor
    options = queries.search_options(actor)
    form = SearchForm(request.GET or None, places=queries.search_places(actor), **options)
    results = None
    if request.GET and form.is_valid():
        results = queries.service_search(actor, form.search_filter())
    return render(request, "directory/search.html", {"form": form, "results": results})


@require_http_methods(["GET", "POST"])
@login_required
def manage(request):
    """A project manager loads HSDS files and downloads the directory.

    The import runs in the request: a county's directory is a few hundred services and
    loads in about a second, and the person uploading wants the errors on this page.
    """
    actor = request.actor
    actor.require(*CONFIGURE)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            form.add_error("file", WRONG_SUFFIX)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                # Keep the uploaded name (made safe): error messages name the file the user knows.
                path = Path(tmp) / (get_valid_filename(Path(upload.name).name) or f"upload{suffix}")
                upload_save(upload, path)
                try:
                    result = actions.directory_import(actor=actor, path=path, source=upload.name)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    created, updated = sum(result.created.values()), sum(result.updated.values())
                    messages.success(
                        request, f"Loaded {upload.name}: {created} new and {updated} updated records."
                    )
                    for warning in result.warnings[:MAX_SHOWN]:
                        messages.warning(request, f"Warning: {warning}")
                    return redirect("directory:manage")
    summary = queries.directory_summary(actor)
    return render(request, "directory/manage.html", {"form": form, "summary": summary})


@require_GET
@login_required
def export(request):
    """The directory as a zip: the tabular data package (default) or the compound JSON."""
    actor = request.actor
    actor.require(*CONFIGURE)
    kind = "json" if request.GET.get("format") == "json" else "csv"
    rows = queries.directory_rows(actor, purpose=f"download ({kind})")
    if kind == "csv":
        files = to_tabular(rows)
    else:
        files = {name: json.dumps(doc, indent=2, ensure_ascii=False) for name, doc in to_json(rows).items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    slug = actor.program.slug
    response["Content-Disposition"] = f'attachment; filename="{slug}-directory-hsds-{kind}.zip"'
    return response
