"""`offramp retention --dry-run | --apply`: the programs' retention policies, listed or applied."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from offramp.access.scope import Actor
from offramp.jobs.schedule import daily_start
from offramp.programs.models import Program
from offramp.retention.actions import retention_apply
from offramp.retention.queries import retention_dry_run
from offramp.retention.tasks import retention_daily


class Command(BaseCommand):
    help = (
        "Retention of non-arrest records (docs/retention.md). --dry-run lists, by record number, whom each "
        "program's policy would remove the identifying details of now, and whom a legal hold keeps; "
        "--apply removes them, one audit entry per person, keeping de-identified counts. "
        "--enqueue starts the daily task instead."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="List what would go; change nothing")
        mode.add_argument("--apply", action="store_true", help="Remove the identifying details listed")
        mode.add_argument(
            "--enqueue", action="store_true", help="Enqueue the daily task for `offramp worker` and exit"
        )
        parser.add_argument("--program", help="Only this program (its slug); default: every program")
        parser.add_argument("--now", help="As of this ISO date-time (default: now), e.g. 2031-03-01T07:00Z")

    def handle(self, *args, dry_run, apply, enqueue, program, now, **options):
        if enqueue:
            result = daily_start(retention_daily)
            self.stdout.write("Daily retention enqueued." if result else "Daily retention is already queued.")
            return
        when = _when(now)
        programs = Program.objects.order_by("pk")
        if program:
            programs = programs.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"--program {program!r}: no program has that slug")
        for site in programs:
            actor = Actor.system("retention", site)
            if dry_run:
                self._list(retention_dry_run(actor, site, now=when))
            else:
                report = retention_apply(actor=actor, program=site, now=when)
                people = "person" if len(report.removed) == 1 else "people"
                self.stdout.write(
                    f"{site.slug}: removed the identifying details of {len(report.removed)} {people}; "
                    f"{report.held} kept by a legal hold."
                )

    def _list(self, plan):
        slug = plan.program.slug
        if not plan.enabled:
            self.stdout.write(f"{slug}: no retention policy set; nothing would go.")
            return
        self.stdout.write(
            f"{slug}: as of {plan.today}, {len(plan.due)} would go, {len(plan.held)} kept by a legal hold "
            f"(lapsed referrals after {plan.lapsed_days or '-'} days, closed cases after "
            f"{plan.closed_years or '-'} years)."
        )
        for due in plan.due:
            cases = ", ".join(f"case {c}" for c in due.case_ids) or "no case"
            self.stdout.write(
                f"  person {due.person_id}: {due.rule.replace('_', ' ')} since {due.due_since} ({cases})"
            )
        for due in plan.held:
            self.stdout.write(f"  person {due.person_id}: held")


def _when(text: str | None) -> dt.datetime:
    if not text:
        return timezone.now()
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"--now {text!r} is not an ISO date-time such as 2031-03-01T07:00+00:00") from None
    return timezone.make_aware(when, dt.UTC) if timezone.is_naive(when) else when
