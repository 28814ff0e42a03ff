"""Reads of referrals for an acting user."""

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record, read_or_not_found
from offramp.access.policy import Category, Scope, case_team_scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.paging import KeysetPage, Sort, keyset_page
from offramp.people import names
from offramp.referrals import eligibility, equity, equity_chart, equity_counts, screening
from offramp.referrals.matches import candidates, matches_for
from offramp.referrals.models import ProtocolVersion, Referral, ScreeningRun
from offramp.referrals.referral_facts import ReferralDraft, to_facts

HANDOFF_TARGET = dt.timedelta(minutes=30)
ERR_NO_PROTOCOL = "This program has no published eligibility protocol yet; ask the project manager."


def handoff_referrals(actor: Actor) -> QuerySet[Referral]:
    """The referrals whose hand-off this actor may see and record (callers are inside trusted()):
    a case manager's own (the hand-off came to them, or the case is on their caseload), a
    supervisor's anywhere in the program; anyone else none (404)."""
    scope = case_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    referrals = Referral.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        caseload = Case.objects.filter(program_id=actor.program_id, case_manager_id=actor.user_id)
        referrals = referrals.filter(
            Q(handoff_to_id=actor.user_id) | Q(pk__in=caseload.values("referral_id"))
        )
    return referrals


def handoff_minutes(referral: Referral) -> int | None:
    """Whole minutes from the hand-off request to the case manager's arrival (never below 0)."""
    if referral.handoff_requested_at is None or referral.handoff_arrived_at is None:
        return None
    return max(0, int((referral.handoff_arrived_at - referral.handoff_requested_at).total_seconds() // 60))


PAGE_SIZE = 25
MY_REFERRALS_ORDER = (Sort("referred_at", descending=True), Sort("id", descending=True))


def _case_of(referral, person, referred_at) -> Q:
    """The case a referral opened, or the open case it joined (the person's, opened before it)."""
    return Q(referral=referral) | Q(person=person, opened_at__lte=referred_at, status__in=OPEN_STATUSES)


def my_referrals(actor: Actor, *, cursor: str = "") -> KeysetPage:
    """The referrals this user made, newest first, with what became of each (status and intake date only)."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    with trusted("referrals.my_referrals"):
        latest_case = Case.objects.filter(
            _case_of(OuterRef("pk"), OuterRef("person_id"), OuterRef("referred_at"))
        ).order_by("-opened_at")
        referrals = (
            Referral.objects.filter(program_id=actor.program_id, referring_officer_id=actor.user_id)
            .select_related("person")
            .annotate(
                case_status=Subquery(latest_case.values("status")[:1]),
                intake_completed_at=Subquery(latest_case.values("intake_completed_at")[:1]),
            )
        )
        result = keyset_page(
            referrals, MY_REFERRALS_ORDER, cursor=cursor, size=PAGE_SIZE, salt="my_referrals"
        )
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="Referral",
        detail={"view": "my_referrals", "ids": [r.pk for r in result.object_list]},
    )
    return result


def agency_referral(actor: Actor, *, agency_id: int, referral_id: int) -> dict:
    """What the referring agency may know of one referral it made (minimum necessary): the decision,
    whether the program took the person on, whether intake is done (its date only) and whether the case
    is still open. No names, no case detail. 404 for any referral another agency made."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    with trusted("referrals.agency_referral"):
        referral = Referral.objects.filter(
            program_id=actor.program_id, referring_agency_id=agency_id, pk=referral_id
        ).first()
        case = Case.objects.filter(referral=referral).order_by("-opened_at").first() if referral else None
    referral = read_or_not_found(
        actor, referral, "Referral", referral_id, detail={"view": "agency_referral_status"}
    )
    completed = case.intake_completed_at if case else None
    return {
        "id": referral.pk,
        "door": referral.door,
        "incident_number": referral.incident_number,
        "referred_at": referral.referred_at,
        "decision": referral.decision,
        "accepted": case is not None,
        "intake_completed_on": timezone.localdate(completed, timezone=actor.program.zone)
        if completed
        else None,
        "open": case is not None and case.status in OPEN_STATUSES,
    }


# ---- the officer's referral ----------------------------------------------------------------


def possible_matches(actor: Actor, *, first_name: str, last_name: str, date_of_birth, key: str) -> list:
    """The "possible existing participants" an officer chooses among: a signed token each and whether
    they have an open case, nothing more. Audited like the lookup."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    with trusted("referrals.possible_matches"):
        found = matches_for(actor, first_name, last_name, date_of_birth, key)
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        object_type="Person",
        detail={"view": "referral_possible_matches", "count": len(found)},
    )
    return found


def person_known(actor: Actor, *, first_name: str, last_name: str, date_of_birth: dt.date) -> bool:
    """Is someone by this name (tolerantly matched, aliases included) and date of birth an active participant?

    Officers are told only "active participant" or "not known", so this returns a bool and
    nothing else leaves the function.
    """
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
        actor=actor,
        action=Action.SEARCH,
        object_type="Person",
        detail={"view": "referral_lookup", "matched_person_ids": sorted(matched)},
    )
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
            case = (
                Case.objects.filter(_case_of(referral.pk, referral.person_id, referral.referred_at))
                .select_related("case_manager")
                .order_by("-opened_at")
                .first()
            )
            referral.intake_due = case.intake_due if case else None
            # Whom the person calls: the case manager the case has now (a reassignment moves it).
            referral.card_manager = (case.case_manager if case else None) or referral.handoff_to
    referral = read_or_not_found(actor, referral, "Referral", referral_id, detail={"view": "handoff_card"})
    return referral


def handoff_arrival(actor: Actor, referral_id: int) -> Referral:
    """A hand-off for the case team to record their arrival (see actions.handoff_referrals), or 404.
    Attached: `case_id` (the referral's case, for a link) and `minutes` (request to arrival)."""
    with trusted("referrals.handoff_arrival"):
        referral = (
            handoff_referrals(actor)
            .filter(pk=referral_id)
            .select_related("person", "referring_officer", "handoff_to", "handoff_arrived_by")
            .first()
        )
        if referral is not None:
            case = (
                Case.objects.filter(_case_of(referral.pk, referral.person_id, referral.referred_at))
                .order_by("-opened_at")
                .first()
            )
            referral.case_id = case.pk if case else None
            referral.minutes = handoff_minutes(referral)
    referral = read_or_not_found(actor, referral, "Referral", referral_id, detail={"view": "handoff_arrival"})
    return referral


def handoff_summary(actor: Actor, *, since: dt.datetime | None = None) -> dict[str, Any]:
    """Warm hand-offs in the program (for a program overview): how many were requested, how many
    have an arrival recorded, the median minutes from request to arrival, and how many were within
    the 30-minute target. Counts only; `since` limits to requests from then on."""
    import statistics

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


def protocol_current(program_id: int) -> ProtocolVersion | None:
    """The newest published version (configuration: readable by anyone acting in the program)."""
    return ProtocolVersion.objects.filter(program_id=program_id).order_by("-version").first()


def eligibility_preview(
    actor: Actor, *, draft: ReferralDraft, incident_date: dt.date | None, age: int | None = None
) -> eligibility.Decision:
    """The decision the current protocol would make on these facts, with its reasons. Reads only the
    program's protocol (configuration); nothing is stored. No published protocol: ValidationError."""
    actor.require(Category.OWN_REFERRALS, Scope.OWN)
    version = protocol_current(actor.program_id)
    if version is None:
        raise ValidationError(ERR_NO_PROTOCOL)
    facts = to_facts(version.protocol, draft, incident_date)
    if age is not None and draft.date_of_birth is None:
        facts = dataclasses.replace(facts, age=age)
    return eligibility.decide(version.protocol, facts)


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
        actor=actor,
        action=Action.LIST,
        object_type="ScreeningRun",
        detail={"view": "screening", "ids": [r.pk for r in runs]},
    )
    return runs


def screening_equity(actor: Actor, run_id: int, *, export: bool = False) -> dict:
    """The equity audit of one screening run: eligible arrests, offers (diverted) and completed intakes
    by each group, with rates, 95% intervals, disparity ratios and officer flags; small cells suppressed
    (threshold: the program's `small_cell_threshold`). Reference groups: the program's
    `equity_reference` (dimension -> group), else each dimension's largest group.

    The group counts are kept on the run for the day (see equity_counts): the first view of the day
    counts (one aggregate overall and one per dimension), the others read the run alone.
    `export` audits the read as an export (the CSV)."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    with trusted("referrals.screening_equity"):
        run = (
            ScreeningRun.objects.filter(program_id=actor.program_id, pk=run_id)
            .select_related("protocol_version", "created_by")
            .first()
        )
        breakdowns, overall, threshold, counted_at = [], None, None, None
        if run is not None:
            counts = equity_counts.run_counts(actor, run)
            breakdowns, overall, threshold = equity_counts.breakdowns_from(actor, counts)
            counted_at = dt.datetime.fromisoformat(counts["counted_at"])
    run = read_or_not_found(
        actor,
        run,
        "ScreeningRun",
        run_id,
        detail={"view": "equity_csv" if export else "equity_audit"},
        action=Action.EXPORT if export else Action.READ,
    )
    return {"run": run, "counted_at": counted_at, **equity_presented(breakdowns, overall, threshold)}


def equity_breakdowns(actor: Actor, eligible) -> tuple[list, float | None, int]:
    """The equity audit's breakdowns of eligible arrests annotated with `offer` (diverted) and `intake`
    (the diversion's intake is done); callers are inside trusted(). One aggregate overall and one per
    dimension, whatever the number of arrests."""
    return equity_counts.breakdowns_from(actor, equity_counts.group_counts(eligible))


def equity_presented(breakdowns: list, overall: float | None, threshold: int | None) -> dict:
    flagged = [c for field, _, cells in breakdowns if field == "officer" for c in cells if c.flagged]
    return {
        "breakdowns": [
            (field, label, cells, None if field == "overall" else equity_chart.chart(label, cells, overall))
            for field, label, cells in breakdowns
        ],
        "overall": equity.percent(overall),
        "threshold": threshold,
        "flagged": flagged,
    }


def screened_matched(actor: Actor, frame: pl.DataFrame, shifts) -> tuple[pl.DataFrame, dict]:
    """Screened arrests matched to the program's diversions by incident number, with their groups, and
    the run's counts (eligible, diverted, diverted though ineligible). Call inside trusted()."""
    referrals = dict(
        Referral.objects.filter(program_id=actor.program_id, door="arrest")
        .exclude(incident_number="")
        .order_by("referred_at", "id")  # the latest referral wins a shared incident number
        .values_list("incident_number", "id")
    )
    frame = screening.groups(
        screening.match_referrals(frame, {k.strip().upper(): v for k, v in referrals.items()}), shifts
    )
    counts = frame.select(
        eligible=pl.col("eligible").sum(),
        diverted=(pl.col("eligible") & pl.col("diverted")).sum(),
        diverted_ineligible=(~pl.col("eligible") & pl.col("diverted")).sum(),
    ).row(0, named=True)
    return frame, counts
