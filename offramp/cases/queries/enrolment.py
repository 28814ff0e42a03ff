"""Enrolment counts for the evaluator: cases opened per year and door, grouped in SQL."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case


@dataclass(frozen=True)
class EnrolmentRow:
    year: int
    door: str
    count: int | None  # None: suppressed small cell


def enrolment_counts(actor: Actor) -> list[EnrolmentRow]:
    """Cases opened per year (in the program's time zone) and door, small cells (the program's
    threshold) suppressed: aggregate, de-identified data only. One grouped query, whatever the
    number of cases."""
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    k = actor.program.small_cell
    with trusted("cases.enrolment_counts"):
        grouped = (
            Case.objects.filter(program_id=actor.program_id)
            .annotate(year=ExtractYear("opened_at", tzinfo=actor.program.zone))
            .values_list("year", "referral__door")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts: dict[tuple[int, str], int] = {}
        for year, door, n in grouped:
            key = (year, door or "")
            counts[key] = counts.get(key, 0) + n
    audit_record(actor=actor, action=Action.EXPORT, object_type="Case", detail={"view": "enrolment_counts"})
    return [
        EnrolmentRow(year=year, door=door, count=n if n >= k else None)
        for (year, door), n in sorted(counts.items())
    ]
