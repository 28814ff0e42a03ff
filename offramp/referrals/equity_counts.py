"""The equity audit's group counts: counted in SQL (one aggregate overall and one per dimension) and, for
a screening run, kept on the run for the day.

A run's arrests, eligibility and offers never change once stored; which offers went on to a completed
intake can, so the counts are recounted on the first view of each day (in the program's time zone) and
say when they were counted. The counts are kept raw: small cells are suppressed when they are shown,
with the program's threshold of the moment.
"""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from offramp.access.scope import Actor
from offramp.cases.models import Case
from offramp.referrals import equity
from offramp.referrals.models import ScreenedArrest, ScreeningRun

OVERALL = "All eligible arrests"
NOT_RECORDED = "Not recorded"
COUNTS_VERSION = 1  # bump when the stored shape or the counting changes: older counts are recounted


def group_counts(eligible: QuerySet) -> dict:
    """{"overall": [eligible, offered, intakes], "dimensions": {field: [[group, eligible, offered,
    intakes], ...]}} of eligible arrests annotated with `offer` and `intake`; callers are inside
    trusted()."""
    counts = {
        "eligible": Count("id"),
        "offered": Count("id", filter=Q(offer=True)),
        "intakes": Count("id", filter=Q(offer=True, intake=True)),
    }
    total = eligible.aggregate(**counts)
    dimensions = {
        field: [
            [v[field] or NOT_RECORDED, v["eligible"], v["offered"], v["intakes"]]
            for v in eligible.values(field).annotate(**counts).order_by()
        ]
        for field, _label in equity.DIMENSIONS
    }
    return {"overall": [total["eligible"], total["offered"], total["intakes"]], "dimensions": dimensions}


def run_arrests(actor: Actor, run: ScreeningRun) -> QuerySet:
    """A run's eligible arrests with `offer` (diverted) and `intake` (the diversion's intake is done)."""
    completed = Case.objects.filter(referral_id=OuterRef("referral_id"), intake_completed_at__isnull=False)
    return ScreenedArrest.objects.filter(program_id=actor.program_id, run=run, eligible=True).annotate(
        offer=F("diverted"), intake=Exists(completed)
    )


def run_counts(actor: Actor, run: ScreeningRun, *, now: dt.datetime | None = None) -> dict:
    """The run's group counts as kept on the run today, or counted afresh and kept (the first view of
    the day). The result has `counted_at` (ISO time). Callers are inside trusted()."""
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=actor.program.zone).isoformat()
    kept = run.equity_counts or {}
    if kept.get("on") == today and kept.get("version") == COUNTS_VERSION:
        return kept
    counts = {
        **group_counts(run_arrests(actor, run)),
        "on": today,
        "counted_at": now.isoformat(),
        "version": COUNTS_VERSION,
    }
    ScreeningRun.objects.filter(pk=run.pk).update(equity_counts=counts)
    run.equity_counts = counts
    return counts


def breakdowns_from(actor: Actor, counts: dict) -> tuple[list, float | None, int]:
    """The displayed breakdowns of group counts: rates, intervals, ratios and officer flags, small cells
    suppressed with the program's threshold and its `equity_reference` groups."""
    threshold = actor.program.small_cell
    references = actor.program.setting("equity_reference")
    total = equity.Row(OVERALL, *counts["overall"])
    overall = equity.rate(total.offered, total.eligible)
    breakdowns = [("overall", "Overall", equity.breakdown([total], overall, threshold))]
    for field, label in equity.DIMENSIONS:
        rows = [equity.Row(*row) for row in counts["dimensions"][field]]
        cells = equity.breakdown(
            rows, overall, threshold, reference=references.get(field), flag_officers=field == "officer"
        )
        breakdowns.append((field, label, cells))
    return breakdowns, overall, threshold
