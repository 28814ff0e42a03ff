import logging

from django.core.management.base import BaseCommand
from django_tasks_db.compat import TASKS_LOGGER

from offramp.jobs.worker import worker_run


class Command(BaseCommand):
    help = (
        "Run background tasks (imports, evaluations, reminders) from the database queue, recording a "
        "heartbeat that /healthz reads; tasks of a worker that vanished are marked failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every waiting task, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle")

    def handle(self, *args, batch, interval, **options):
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(options["verbosity"], logging.DEBUG)
        for name in (TASKS_LOGGER, "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
        worker_run(batch=batch, interval=interval)
