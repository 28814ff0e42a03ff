from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from offramp.access.policy import FIND, LOOK_UP
from offramp.people import actions, hmis, queries
from offramp.people.forms import (
    PROFILE_FIELDS,
    RACE_CHOICES,
    ConfirmForm,
    DismissForm,
    LinkForm,
    ProfileForm,
    SplitForm,
    StatusLookupForm,
)
from offramp.people.search import ERR_EMPTY, participant_search

RACE_CHOICES_FIELDS = [field for field, _label in RACE_CHOICES]
FIELD_LABELS = {name: field.label for name, field in ProfileForm.base_fields.items()} | dict(RACE_CHOICES)


@require_http_methods(["GET", "POST"])
@login_required
def lookup(request):
    """Is this person an active participant? The name and date of birth come by POST, never in a URL
    (a query string lands in server logs, browser history and the Referer header)."""
    request.actor.require(*LOOK_UP)
    form = StatusLookupForm(request.POST if request.method == "POST" else None)
    answers = None
    status = 200
    if form.is_valid():
        try:
            answers = queries.status_lookup(
                request.actor,
                last_name=form.cleaned_data["last_name"],
                first_name=form.cleaned_data["first_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except queries.TooManyLookups as exc:
            form.add_error(None, str(exc))
            status = 429
    gated = queries.consent_gated(request.actor)
    return render(
        request,
        "people/lookup.html",
        {
            "form": form,
            "answers": answers,
            "none_found": queries.NO_RECORD_YOU_MAY_SEE if gated else queries.NO_RECORD,
            "how_to_ask": queries.how_to_ask(request.actor) if gated else "",
        },
        status=status,
    )


def _profile_initial(view) -> dict:
    person = view.person
    initial = {field: getattr(person, field) for field in PROFILE_FIELDS}
    initial["races"] = [field for field in RACE_CHOICES_FIELDS if getattr(person, field) == hmis.NoYes.YES]
    initial["aliases"] = "\n".join(f"{a.first_name} {a.last_name}".strip() for a in view.aliases)
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def profile(request, case_id: int):
    """The participant's profile: the case team edits it; each save is a row of its history."""
    actor = request.actor
    view = queries.profile_get(actor, case_id)
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=_profile_initial(view))
    if request.method == "POST":
        if not view.may_change:
            raise Http404("Not found")
        if form.is_valid():
            data = form.cleaned_data
            change = actions.person_profile_change(
                actor=actor,
                case_id=case_id,
                values={field: data[field] for field in PROFILE_FIELDS},
                races=data["races"],
                aliases=data["aliases"],
            )
            messages.success(request, "Profile saved." if change else "Nothing changed.")
            return redirect("people:profile", case_id=case_id)
    return _profile_page(request, view, form)


def _profile_page(request, view, form, link_form=None, split_errors=None):
    link_form = link_form or LinkForm(auto_id="link_%s")
    errors = form.errors or link_form.errors or split_errors
    return render(
        request,
        "people/profile.html",
        {
            "view": view,
            "form": form,
            "labels": FIELD_LABELS,
            "link_form": link_form,
            "split_errors": split_errors,
        },
        status=400 if errors else 200,
    )


def _refuse(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, messages_ in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


@require_POST
@login_required
def profile_link(request, case_id: int):
    """Link this record with another the actor may change: one person, two records (never a merge)."""
    actor = request.actor
    view = queries.profile_get(actor, case_id)
    if not view.may_change:
        raise Http404("Not found")
    link_form = LinkForm(request.POST, auto_id="link_%s")
    if link_form.is_valid():
        data = link_form.cleaned_data
        try:
            actions.person_link(
                actor=actor,
                case_id=case_id,
                other_case_id=data["other_case"],
                reason=data["reason"],
                again=data["again"],
            )
        except ValidationError as exc:
            _refuse(link_form, exc)
        else:
            messages.success(request, "Linked: the two records are one person (each keeps its history).")
            return redirect("people:profile", case_id=case_id)
    return _profile_page(request, view, ProfileForm(initial=_profile_initial(view)), link_form=link_form)


@require_POST
@login_required
def profile_split(request, case_id: int, link_id: int):
    """End a link: two people after all. The split is kept."""
    actor = request.actor
    view = queries.profile_get(actor, case_id)
    if not view.may_change:
        raise Http404("Not found")
    form = SplitForm(request.POST)
    if form.is_valid():
        try:
            actions.person_split(
                actor=actor, case_id=case_id, link_id=link_id, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, "Split: they are two people, and the split is remembered.")
            return redirect("people:profile", case_id=case_id)
    errors = {link_id: [m for ms in form.errors.values() for m in ms]}
    return _profile_page(request, view, ProfileForm(initial=_profile_initial(view)), split_errors=errors)


@require_http_methods(["GET", "POST"])
@login_required
def search(request):
    """Find a participant by name, date of birth or case number. The words come by POST, never in a URL."""
    actor = request.actor
    actor.require(*FIND)
    text = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    results = participant_search(actor, text) if text else None
    return render(
        request,
        "people/search.html",
        {
            "q": text,
            "results": results,
            "empty_error": ERR_EMPTY if request.method == "POST" and not text else "",
        },
    )


def _suggestion_forms(pk: int, bound=None) -> tuple:
    confirm = ConfirmForm(auto_id=f"confirm-{pk}-%s")
    dismiss = DismissForm(auto_id=f"dismiss-{pk}-%s")
    return (bound, dismiss) if isinstance(bound, ConfirmForm) else (confirm, bound or dismiss)


def _suggestions_page(request, bound=None, suggestion_id: int | None = None):
    view = queries.link_suggestions_for(request.actor)
    items = [
        (row, *_suggestion_forms(row.suggestion.pk, bound if row.suggestion.pk == suggestion_id else None))
        for row in view.rows
    ]
    shown = any(row.suggestion.pk == suggestion_id for row in view.rows)
    errors = bound.non_field_errors() if bound is not None and not shown else []
    context = {"view": view, "items": items, "errors": errors}
    return render(request, "people/suggestions.html", context, status=400 if bound is not None else 200)


@require_GET
@login_required
def suggestions(request):
    """Possible duplicates an import suggested: both records side by side, each pair confirmed (an
    ordinary link) or dismissed (two people, never suggested again) by the case team."""
    return _suggestions_page(request)


def _decide(request, suggestion_id: int, form, decide, done: str):
    if form.is_valid():
        try:
            decide(actor=request.actor, suggestion_id=suggestion_id, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, done)
            return redirect("people:suggestions")
    return _suggestions_page(request, form, suggestion_id)


@require_POST
@login_required
def suggestion_confirm(request, suggestion_id: int):
    """One person: the pair becomes an ordinary link (never a merge)."""
    form = ConfirmForm(request.POST, auto_id=f"confirm-{suggestion_id}-%s")
    done = "Confirmed: the two records are linked as one person (each keeps its history)."
    return _decide(request, suggestion_id, form, actions.link_suggestion_confirm, done)


@require_POST
@login_required
def suggestion_dismiss(request, suggestion_id: int):
    """Two people: the suggestion is kept as dismissed, so the pair is never suggested again."""
    form = DismissForm(request.POST, auto_id=f"dismiss-{suggestion_id}-%s")
    done = "Dismissed: they are two people, and the pair will not be suggested again."
    return _decide(request, suggestion_id, form, actions.link_suggestion_dismiss, done)
