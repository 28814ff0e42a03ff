"""Reads of referrals for an acting user."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404

from offramp.access.audit import Action, audit_record
from offramp.access.models import AuditEntry
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.referrals import equity, equity_chart, names
from offramp.referrals.models import ProtocolVersion, Referral, ScreenedArrest, ScreeningRun

PAGE_SIZE = 25


def my_referrals(actor: Actor, *, page: int = 1) -> Page:
    """The referrals this user made, newest first, with what became of each (status and intake date only)."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    with trusted("referrals.my_referrals"):
        latest_case = Case.objects.filter(referral=OuterRef("pk")).order_by("-opened_at")
        referrals = (
            Referral.objects.filter(program_id=actor.program_id, referring_officer_id=actor.user_id)
            .select_related("person")
            .annotate(
                case_status=Subquery(latest_case.values("status")[:1]),
                intake_completed_at=Subquery(latest_case.values("intake_completed_at")[:1]),
            )
            .order_by("-referred_at", "-id")
        )
        result = Paginator(referrals, PAGE_SIZE).get_page(page)
        result.object_list = list(result.object_list)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Referral",
        detail={"view": "my_referrals", "ids": [r.pk for r in result.object_list]},
    )
    return result


# ---- the officer's referral ----------------------------------------------------------------


def person_known(actor: Actor, *, first_name: str, last_name: str, date_of_birth) -> bool:
    """Is someone by this name (tolerantly matched, aliases included) and date of birth an active participant?

    Officers are told only "active participant" or "not known", so this returns a bool and
    nothing else leaves the function.
    """
    from offramp.referrals.actions import candidates

    actor.require(Category.STATUS)
    with trusted("referrals.person_known"):
        matched = [
            person.pk
            for person, known in candidates(actor, date_of_birth)
            if names.name_score(first_name, last_name, known) >= names.MATCH_THRESHOLD
        ]
        active = (
            bool(matched)
            and Case.objects.filter(
                program_id=actor.program_id, person_id__in=matched, status__in=OPEN_STATUSES
            ).exists()
        )
    audit_record(
        actor=actor, action=Action.SEARCH, object_type="Person",
        detail={"view": "referral_lookup", "matched_person_ids": sorted(matched)},
    )  # fmt: skip
    return active


def referral_handoff(actor: Actor, referral_id: int) -> Referral:
    """The hand-off card of a referral this user made (its case's intake deadline attached), or 404."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    with trusted("referrals.referral_handoff"):
        referral = (
            Referral.objects.filter(
                program_id=actor.program_id, referring_officer_id=actor.user_id, pk=referral_id
            )
            .select_related("person", "handoff_to", "protocol_version")
            .first()
        )
        if referral is not None:
            case = Case.objects.filter(referral=referral).order_by("-opened_at").first()
            referral.intake_due = case.intake_due if case else None
    audit_record(
        actor=actor, action=Action.READ, object_type="Referral", object_id=referral_id,
        outcome=AuditEntry.Outcome.OK if referral is not None else AuditEntry.Outcome.NOT_FOUND,
        detail={"view": "handoff_card"},
    )  # fmt: skip
    if referral is None:
        raise Http404("Not found")
    return referral


def handoff_arrival(actor: Actor, referral_id: int) -> Referral:
    """A hand-off for the case team to record their arrival (see actions.handoff_referrals), or 404.
    Attached: `case_id` (the referral's case, for a link) and `minutes` (request to arrival)."""
    from offramp.referrals.actions import handoff_minutes, handoff_referrals

    with trusted("referrals.handoff_arrival"):
        referral = (
            handoff_referrals(actor)
            .filter(pk=referral_id)
            .select_related("person", "referring_officer", "handoff_to", "handoff_arrived_by")
            .first()
        )
        if referral is not None:
            case = Case.objects.filter(referral=referral).order_by("-opened_at").first()
            referral.case_id = case.pk if case else None
            referral.minutes = handoff_minutes(referral)
    audit_record(
        actor=actor, action=Action.READ, object_type="Referral", object_id=referral_id,
        outcome=AuditEntry.Outcome.OK if referral is not None else AuditEntry.Outcome.NOT_FOUND,
        detail={"view": "handoff_arrival"},
    )  # fmt: skip
    if referral is None:
        raise Http404("Not found")
    return referral


def handoff_summary(actor: Actor, *, since=None) -> dict:
    """Warm hand-offs in the program (for a program overview): how many were requested, how many
    have an arrival recorded, the median minutes from request to arrival, and how many were within
    the 30-minute target. Counts only; `since` limits to requests from then on."""
    import statistics

    from offramp.referrals.actions import HANDOFF_TARGET

    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    with trusted("referrals.handoff_summary"):
        handoffs = Referral.objects.filter(program_id=actor.program_id, handoff_requested_at__isnull=False)
        if since is not None:
            handoffs = handoffs.filter(handoff_requested_at__gte=since)
        times = list(handoffs.order_by().values_list("handoff_requested_at", "handoff_arrived_at"))
    waits = [max(0.0, (arrived - asked).total_seconds() / 60) for asked, arrived in times if arrived]
    audit_record(actor=actor, action=Action.READ, object_type="Referral", detail={"view": "handoff_summary"})
    return {
        "requested": len(times),
        "arrived": len(waits),
        "median_minutes": statistics.median(waits) if waits else None,
        "within_target": sum(w * 60 <= HANDOFF_TARGET.total_seconds() for w in waits),
    }


# ---- protocol versions (program configuration) ---------------------------------------------


def protocol_versions(actor: Actor) -> list[ProtocolVersion]:
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    return list(
        ProtocolVersion.objects.filter(program_id=actor.program_id)
        .select_related("published_by")
        .order_by("-version")
    )


def protocol_version_get(actor: Actor, version: int) -> ProtocolVersion:
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    found = ProtocolVersion.objects.filter(program_id=actor.program_id, version=version).first()
    if found is None:
        raise Http404("Not found")
    audit_record(actor=actor, action=Action.EXPORT, object_type="ProtocolVersion", object_id=found.pk)
    return found


# ---- batch screening and the equity audit --------------------------------------------------


def screening_runs(actor: Actor) -> list[ScreeningRun]:
    """The program's screening runs, newest first (counts only, no arrest rows)."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    with trusted("referrals.screening_runs"):
        runs = list(
            ScreeningRun.objects.filter(program_id=actor.program_id).select_related(
                "protocol_version", "created_by"
            )[:50]
        )
    audit_record(
        actor=actor, action=Action.LIST, object_type="ScreeningRun",
        detail={"view": "screening", "ids": [r.pk for r in runs]},
    )  # fmt: skip
    return runs


def screening_equity(actor: Actor, run_id: int, *, export: bool = False) -> dict:
    """The equity audit of one screening run: eligible arrests, offers (diverted) and completed intakes
    by each group, with rates, 95% intervals, disparity ratios and officer flags; small cells suppressed
    (threshold: the program's `small_cell_threshold`). Reference groups: the program's
    `equity_reference` (dimension -> group), else each dimension's largest group.

    A constant number of queries whatever the run's size: one aggregate overall and one per dimension.
    `export` audits the read as an export (the CSV)."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    config = actor.program.configuration or {}
    threshold = int(config.get("small_cell_threshold", equity.DEFAULT_THRESHOLD))
    references = config.get("equity_reference") or {}
    with trusted("referrals.screening_equity"):
        run = (
            ScreeningRun.objects.filter(program_id=actor.program_id, pk=run_id)
            .select_related("protocol_version", "created_by")
            .first()
        )
        breakdowns, overall = [], None
        if run is not None:
            completed = Case.objects.filter(
                referral_id=OuterRef("referral_id"), intake_completed_at__isnull=False
            )
            eligible = ScreenedArrest.objects.filter(
                program_id=actor.program_id, run=run, eligible=True
            ).annotate(intake=Exists(completed))
            counts = {
                "eligible": Count("id"),
                "offered": Count("id", filter=Q(diverted=True)),
                "intakes": Count("id", filter=Q(diverted=True, intake=True)),
            }
            total = equity.Row("All eligible arrests", **eligible.aggregate(**counts))
            overall = equity.rate(total.offered, total.eligible)
            breakdowns.append(("overall", "Overall", equity.breakdown([total], overall, threshold)))
            for field, label in equity.DIMENSIONS:
                rows = [
                    equity.Row(v[field] or "Not recorded", v["eligible"], v["offered"], v["intakes"])
                    for v in eligible.values(field).annotate(**counts).order_by()
                ]
                cells = equity.breakdown(
                    rows,
                    overall,
                    threshold,
                    reference=references.get(field),
                    flag_officers=field == "officer",
                )
                breakdowns.append((field, label, cells))
    audit_record(
        actor=actor, action=Action.EXPORT if export else Action.READ, object_type="ScreeningRun",
        object_id=run_id, outcome=AuditEntry.Outcome.OK if run is not None else AuditEntry.Outcome.NOT_FOUND,
        detail={"view": "equity_csv" if export else "equity_audit"},
    )  # fmt: skip
    if run is None:
        raise Http404("Not found")
    flagged = [c for field, _, cells in breakdowns if field == "officer" for c in cells if c.flagged]
    return {
        "run": run,
        "breakdowns": [
            (field, label, cells, None if field == "overall" else equity_chart.chart(label, cells, overall))
            for field, label, cells in breakdowns
        ],
        "overall": equity.percent(overall),
        "threshold": threshold,
        "flagged": flagged,
    }
