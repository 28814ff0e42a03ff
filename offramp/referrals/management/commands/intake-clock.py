import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from offramp.cases.intake_clock import intake_clock_run
from offramp.jobs.schedule import daily_start
from offramp.referrals.tasks import intake_clock


class Command(BaseCommand):
    help = (
        "Run the intake clock now: warn case managers of near deadlines, record lapsed intakes and "
        "tell the liaison prosecutor. Safe to run more than once a day. "
        "--enqueue starts the daily task instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Run as of this ISO date-time (default: now), e.g. 2026-03-01T07:00Z"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the daily task for `offramp worker` and exit"
        )

    def handle(self, *args, now, enqueue, **options):
        if enqueue:
            result = daily_start(intake_clock)
            self.stdout.write(
                "Daily intake clock enqueued." if result else "The daily intake clock is already queued."
            )
            return
        when = timezone.now()
        if now:
            try:
                when = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
            except ValueError:
                raise CommandError(
                    f"--now {now!r} is not an ISO date-time such as 2026-03-01T07:00+00:00"
                ) from None
            if timezone.is_naive(when):
                when = timezone.make_aware(when, dt.UTC)
        report = intake_clock_run(now=when)
        self.stdout.write(
            f"Intake clock at {when.isoformat()}: {len(report.warned)} warned, {len(report.lapsed)} lapsed."
        )
