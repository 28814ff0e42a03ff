import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from offramp.access.policy import CONFIGURE, REFER
from offramp.files.cells import csv_writer
from offramp.referrals import actions, continuous_queries, eligibility, queries, reviews, tasks
from offramp.referrals import equity as equity_tables
from offramp.referrals.forms import FactsForm, PersonForm, ProtocolUploadForm, ReviewForm, ScreeningUploadForm
from offramp.referrals.referral_facts import to_facts


@require_GET
@login_required
def my_referrals(request):
    page = queries.my_referrals(request.actor, cursor=request.GET.get("cursor", "")[:200])
    return render(request, "referrals/my_referrals.html", {"page": page, "query_prefix": ""})


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request):
    """Three screens, one URL: the person; the door and offence facts; the decision and Divert.

    Each screen posts everything entered so far (hidden fields), so a step can be redone and a
    retried Divert carries the same idempotency key.
    """
    actor = request.actor
    actor.require(*REFER)
    version = actions.protocol_current(actor.program_id)
    if version is None:
        return render(request, "referrals/no_protocol.html", {"message": actions.ERR_NO_PROTOCOL})
    protocol = version.protocol
    areas = tuple(actor.program.setting("areas"))
    facts_form_for = functools.partial(FactsForm, protocol=protocol, areas=areas)
    step = request.POST.get("step", "")
    person_form = PersonForm(request.POST if step else None)
    if not step or not person_form.is_valid():
        return render(request, "referrals/new_person.html", {"form": person_form})
    person = person_form.cleaned_data
    context = {"person_form": person_form, "person": person, "protocol": protocol, "version": version}
    if step == "person":
        possible = queries.possible_matches(
            actor,
            first_name=person["first_name"],
            last_name=person["last_name"],
            date_of_birth=person["date_of_birth"],
            key=person["key"],
        )
        if possible and not person["match"]:
            return render(request, "referrals/new_match.html", {**context, "matches": possible})
        context["known"] = queries.person_known(
            actor,
            first_name=person["first_name"],
            last_name=person["last_name"],
            date_of_birth=person["date_of_birth"],
        )
        return _facts(request, context, facts_form_for(scope_only=True))
    if step == "rescope":  # change how the person came or the offence: screen 2's first part again
        return _facts(request, context, facts_form_for(initial=request.POST.dict(), scope_only=True))
    if step == "scope":
        scope_form = facts_form_for(request.POST, scope_only=True)
        if not scope_form.is_valid():
            return _facts(request, context, scope_form)
        return _facts(request, context, facts_form_for(initial=scope_form.cleaned_data))
    if step == "edit":  # back from the decision: what was entered, without error messages
        return _facts(request, context, facts_form_for(initial=request.POST.dict()))
    facts_form = facts_form_for(request.POST)
    if not facts_form.is_valid():
        return _facts(request, context, facts_form)
    draft = facts_form.draft(person)
    if step == "divert":
        try:
            referral = actions.referral_divert(
                actor=actor, draft=draft, idempotency_key=person["key"], match=person["match"]
            )
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            return redirect("referrals:handoff", referral_id=referral.pk)
    decision = eligibility.decide(protocol, to_facts(protocol, draft, timezone.localdate()))
    if decision.outcome == eligibility.NEEDS_REVIEW and decision.review_by == "officer":
        facts_form.mark_missing(decision)  # each answer still needed, named at its question
        return _facts(request, context, facts_form)
    context.update(
        form=facts_form,
        decision=decision,
        may_divert=decision.outcome == eligibility.ELIGIBLE
        or (decision.outcome == eligibility.NEEDS_REVIEW and decision.review_by != "officer"),
        review_label=eligibility.ROLE_LABELS.get(decision.review_by or "", ""),
        decider_label=eligibility.ROLE_LABELS.get(decision.decider or "", ""),
    )
    return render(request, "referrals/new_decision.html", context)


@require_GET
@login_required
def review_queue(request):
    """The decisions waiting for the user's role: approve or decline each with a reason."""
    return render(request, "referrals/reviews.html", {"items": _review_items(request.actor)})


@require_POST
@login_required
def review_decide(request, referral_id: int):
    actor = request.actor
    form = ReviewForm(request.POST, auto_id=f"r{referral_id}_%s")
    if form.is_valid():
        try:
            referral = reviews.referral_review(actor=actor, referral_id=referral_id, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            word = reviews.OUTCOME_WORDS[referral.review_outcome]
            messages.success(request, f"Referral {word}; the officer and the case manager are told.")
            return redirect("referrals:reviews")
    items = _review_items(actor, failed=form, failed_id=referral_id)
    # A decision no longer waiting (reviewed meanwhile) has no card left to show its error on.
    shown = any(item["referral"].pk == referral_id for item in items)
    errors = [] if shown else form.non_field_errors()
    return render(request, "referrals/reviews.html", {"items": items, "errors": errors}, status=400)


def _review_items(actor, *, failed=None, failed_id=None):
    items = reviews.review_queue_for(actor)
    for item in items:
        pk = item["referral"].pk
        item["form"] = failed if pk == failed_id else ReviewForm(auto_id=f"r{pk}_%s")
    return items


def _facts(request, context, form):
    return render(request, "referrals/new_facts.html", {**context, "form": form})


@require_GET
@login_required
def handoff(request, referral_id: int):
    referral = queries.referral_handoff(request.actor, referral_id)
    return render(
        request,
        "referrals/handoff.html",
        {
            "referral": referral,
            "manager": referral.card_manager,
            "program": request.actor.program,
            "intake_place": request.actor.program.setting("intake_place"),
            "intake_phone": request.actor.program.setting("intake_phone"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def handoff_arrival(request, referral_id: int):
    """The case manager's side of the warm hand-off: the details, and "I am with the person now"."""
    actor = request.actor
    errors = []
    if request.method == "POST":
        try:
            actions.referral_handoff_arrive(actor=actor, referral_id=referral_id)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("referrals:arrival", referral_id=referral_id)
    referral = queries.handoff_arrival(actor, referral_id)
    target = int(queries.HANDOFF_TARGET.total_seconds() // 60)
    return render(
        request, "referrals/handoff_arrival.html", {"referral": referral, "errors": errors, "target": target}
    )


@require_http_methods(["GET", "POST"])
@login_required
def protocols(request):
    actor = request.actor
    actor.require(*CONFIGURE)
    form = ProtocolUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.protocol_publish(
                actor=actor, text=form.cleaned_data["file"], file_name=request.FILES["file"].name
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Published version {version.version}: {version.label}")
            return redirect("referrals:protocols")
    versions = queries.protocol_versions(actor)
    return render(request, "referrals/protocols.html", {"form": form, "versions": versions, "errors": errors})


@require_GET
@login_required
def protocol_export(request, version: int):
    found = queries.protocol_version_get(request.actor, version)
    response = HttpResponse(found.text, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="protocol-v{found.version}.toml"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def screening(request):
    """Batch screening: upload an export of arrests (screened by a background task) and the runs so far."""
    actor = request.actor
    actor.require(*CONFIGURE)
    versions = queries.protocol_versions(actor)
    form = ScreeningUploadForm(request.POST or None, request.FILES or None, versions=versions)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = tasks.screening_enqueue(
                actor=actor, upload=data["arrests"], mapping_text=data["mapping"], version=data["version"]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("jobs:detail", job_id=job.pk)
    runs = queries.screening_runs(actor)
    return render(
        request,
        "referrals/screening.html",
        {"form": form, "errors": errors, "runs": runs, "versions": versions},
    )


@require_GET
@login_required
def equity(request, run_id: int):
    """The equity audit of one screening run; printable."""
    return render(request, "referrals/equity.html", queries.screening_equity(request.actor, run_id))


@require_GET
@login_required
def equity_csv(request, run_id: int):
    """The equity tables as CSV, small cells suppressed as on the page; audited as an export."""
    found = queries.screening_equity(request.actor, run_id, export=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="equity-audit-{found["run"].pk}.csv"'
    csv_writer(response).writerows(equity_tables.csv_rows(found["breakdowns"]))
    return response


@require_GET
@login_required
def continuous(request):
    """Continuous screening: the eligible-but-booked list, and the equity audit over a chosen period."""
    actor = request.actor
    booked = continuous_queries.eligible_booked(actor)
    today = timezone.localdate()
    start = _day(request.GET.get("start")) or today - dt.timedelta(days=90)
    end = _day(request.GET.get("end")) or today
    context = {"booked": booked, "start": start, "end": end}
    try:
        context |= continuous_queries.continuous_equity(actor, start=start, end=end)
    except ValidationError as exc:
        context["period_error"] = exc.messages[0]
    return render(request, "referrals/continuous.html", context)


def _day(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
