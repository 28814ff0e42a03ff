"""A case's documents page (list and upload) and the download, for the case team only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from offramp.documents import actions, forms, queries
from offramp.params import int_param


def _page(request, case_id: int, form=None, status: int = 200):
    view = queries.documents_for(request.actor, case_id)
    if form is None:  # from a consent's "Attach the signed copy": the release of that consent
        chosen = int_param(request.GET.get("consent"), default=None)
        initial = {"kind": "signed_release", "consent": chosen} if chosen else {}
        form = forms.UploadForm(consents=view.consents, initial=initial)
    context = {"case": view.case, "documents": view.documents, "form": form}
    return render(request, "documents/case_documents.html", context, status=status)


@require_GET
@login_required
def case_documents(request, case_id: int):
    return _page(request, case_id)


@require_POST
@login_required
def upload(request, case_id: int):
    view = queries.documents_for(request.actor, case_id)  # the case team only, before the file is read
    form = forms.UploadForm(request.POST, request.FILES, consents=view.consents)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.document_upload(
                actor=request.actor,
                case_id=case_id,
                name=data["file"].name,
                data=data["file"].read(),
                kind=data["kind"],
                description=data["description"],
                consent_id=data["consent"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "The document was uploaded.")
            return redirect("documents:case", case_id=case_id)
    return _page(request, case_id, form=form, status=400)


@require_GET
@login_required
def download(request, case_id: int, document_id: int):
    """The file itself, always as an attachment of the type it was found to be, never sniffed again."""
    document = queries.document_for_download(request.actor, case_id, document_id)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
