"""`offramp hmis-export --program SLUG OUT.zip [--start DATE] [--end DATE]`: the HMIS CSV FY2026 export."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from offramp.access.scope import Actor
from offramp.hmis.actions import hmis_export
from offramp.programs.models import Program


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Write the program's HMIS CSV FY2026 export (consented participants only) to a zip"

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--program", required=True)
        parser.add_argument("--start", help="First day of the reporting period (default: a year ago)")
        parser.add_argument("--end", help="Last day (default: today)")

    def handle(self, *args, out, program, start, end, **options):
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program {program!r}.")
        today = timezone.localdate(timezone=found.zone)
        end_day = _date(end) if end else today
        start_day = _date(start) if start else end_day - dt.timedelta(days=365)
        if start_day > end_day:
            raise CommandError("--start must be on or before --end.")
        counts = hmis_export(
            actor=Actor.system("hmis-export", program=found), out=Path(out), start=start_day, end=end_day
        )
        self.stdout.write(
            f"Wrote {out}: {counts['Client']} clients, {counts['Enrollment']} enrollments, "
            f"{counts['Exit']} exits, {counts['CurrentLivingSituation']} snapshots "
            f"({counts['left_out']} participants without an HMIS consent left out)."
        )
