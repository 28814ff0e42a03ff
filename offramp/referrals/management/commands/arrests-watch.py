"""`offramp arrests-watch`: screen the arrest exports dropped in each program's watched folder (the program
configuration's `arrest_watch`: folder and mapping). `--enqueue` starts the worker's pass every minute."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from offramp.referrals.tasks import arrests_watch_pass, watch_next


class Command(BaseCommand):
    help = "Screen the arrest files in the programs' watched folders (once, or every minute with --enqueue)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the pass every minute for the worker"
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = watch_next(after=timezone.now())
            self.stdout.write("Queued the watched-folder pass." if result else "The pass is already queued.")
            return
        for slug, files in arrests_watch_pass().items():
            for f in files:
                if "problems" in f:
                    self.stdout.write(f"{slug}: {f['file']} refused ({len(f['problems'])} problems)")
                else:
                    self.stdout.write(f"{slug}: {f['file']}: {f['stored']} arrests screened")
