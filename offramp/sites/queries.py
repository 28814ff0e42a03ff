"""The host's view across programs: counts only, small cells suppressed, never a person."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from offramp.access.audit import Action, audit_record
from offramp.access.deidentify import SUPPRESSED, suppress_small_cells
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, ExitReason, Status
from offramp.programs.models import Program, QuestionSetVersion
from offramp.referrals.models import Referral

# The case statuses side by side; they partition a program's cases, so they are suppressed together.
STATUS_COLUMNS = (
    (Status.REFERRED, "Intake pending"),
    (Status.ACTIVE, "Active"),
    (Status.REENGAGED, "Re-engaged"),
    (Status.INACTIVE, "Inactive"),
    (Status.EXITED, "Exited"),
)


@dataclass(frozen=True)
class SiteRow:
    program: Program
    referrals: int | str  # a count, or SUPPRESSED
    statuses: tuple  # counts (or SUPPRESSED) in STATUS_COLUMNS order
    intakes: int | str
    goals_met: int | str


def require_host(actor: Actor) -> None:
    if not getattr(actor.user, "is_host_admin", False) or not actor.user.is_active:
        raise Http404("Not found")


def _alone(n: int, k: int) -> int | str:
    return SUPPRESSED if 0 < n < k else n


def sites_overview(actor: Actor) -> list[SiteRow]:
    """Each program's referrals, cases by status, completed intakes and exits with goals met.

    Two aggregate queries whatever the number of programs or people; in each program's row, counts
    from 1 to that program's small-cell threshold less one are suppressed. The read is audited."""
    require_host(actor)
    programs = list(Program.objects.order_by("name", "pk"))
    with trusted("host.sites_overview"):
        cases = {
            row["program_id"]: row
            for row in Case.objects.values("program_id")
            .annotate(
                intakes=Count("id", filter=Q(intake_completed_at__isnull=False)),
                goals_met=Count("id", filter=Q(status=Status.EXITED, exit_reason=ExitReason.GOALS_MET)),
                **{status.value: Count("id", filter=Q(status=status)) for status, _label in STATUS_COLUMNS},
            )
            .order_by()
        }
        referrals = dict(
            Referral.objects.values_list("program_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("program_id", "n")
        )
    rows = []
    for program in programs:
        row = cases.get(program.pk, {})
        k = program.small_cell  # the program's own threshold, never below OFFRAMP_SMALL_CELL
        statuses = suppress_small_cells({s.value: row.get(s.value, 0) for s, _label in STATUS_COLUMNS}, k)
        rows.append(
            SiteRow(
                program=program,
                referrals=_alone(referrals.get(program.pk, 0), k),
                statuses=tuple(statuses[s.value] for s, _label in STATUS_COLUMNS),
                intakes=_alone(row.get("intakes", 0), k),
                goals_met=_alone(row.get("goals_met", 0), k),
            )
        )
    audit_record(actor=actor, action=Action.LIST, object_type="Program", detail={"view": "sites_overview"})
    return rows


def question_versions(actor: Actor) -> list[QuestionSetVersion]:
    """The program's assessment question versions, newest first (program configuration)."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    return list(
        QuestionSetVersion.objects.filter(program_id=actor.program_id).select_related("created_by")[:50]
    )
