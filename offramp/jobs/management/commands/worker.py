from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (imports, evaluations, reminders) from the database queue."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every waiting task, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle")

    def handle(self, *args, batch, interval, **options):
        # django-tasks-db's worker does the work; this fixes the options offramp relies on.
        call_command(
            "db_worker",
            queue_name="*",
            batch=batch,
            interval=interval,
            reload=False,
            startup_delay=not batch,
            verbosity=options["verbosity"],
        )
