from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from offramp.access.middleware import ACTIVE_PROGRAM_KEY
from offramp.access.policy import CONFIGURE
from offramp.cases.actions import assessment_questions_configure
from offramp.programs import configuration
from offramp.sites import actions, forms, queries


@require_http_methods(["GET", "POST"])
@login_required
def program_settings(request):
    """The project manager's (and administrator's) page of every program setting, grouped."""
    actor = request.actor
    actor.require(*CONFIGURE)
    form = forms.ProgramSettingsForm(request.POST or None, program=actor.program)
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.program_settings_change(actor=actor, texts=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changes:
                labels = ", ".join(configuration.SETTINGS[key].label for key in changes)
                messages.success(request, f"Saved: {labels}.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("sites:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "sites/settings.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def program_questions(request):
    """The project manager edits the assessment questions: each save is a new version."""
    actor = request.actor
    actor.require(*CONFIGURE)
    form = forms.QuestionsForm(request.POST or None, program=actor.program)
    if request.method == "POST" and form.is_valid():
        try:
            version = assessment_questions_configure(actor=actor, question_set=form.question_set())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if version is None:
                messages.info(request, "Nothing changed.")
            else:
                messages.success(
                    request, f"Saved as version {version.version}; past assessments keep theirs."
                )
            return redirect("sites:questions")
    context = {"form": form, "versions": queries.question_versions(actor)}
    return render(request, "sites/questions.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def program_switch(request):
    """The control on every page for staff in several programs: work in another one from now on."""
    try:
        program = actions.program_switch(actor=request.actor, program_id=request.POST.get("program", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("home")
    request.session[ACTIVE_PROGRAM_KEY] = program.pk
    messages.success(request, f"You are working in {program.name}.")
    return redirect("home")  # the new program's landing page: the old page may be another program's record


@require_GET
@login_required
def sites(request):
    """The host's programs side by side: counts only, small cells suppressed."""
    rows = queries.sites_overview(request.actor)
    context = {
        "rows": rows,
        "columns": [label for _s, label in queries.STATUS_COLUMNS],
        "small_cell": settings.SMALL_CELL,
    }
    return render(request, "sites/host_sites.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def program_new(request):
    queries.require_host(request.actor)
    form = forms.ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program, manager = actions.program_create(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, f"{program.name} was created; {manager.username} signs in as its project manager."
            )
            return redirect("sites:host")
    status = 400 if request.method == "POST" else 200
    return render(request, "sites/host_program_new.html", {"form": form}, status=status)
