from django.core.management.base import BaseCommand

from offramp.cases.consent_expiry import consent_expiry_run
from offramp.jobs.schedule import daily_start


class Command(BaseCommand):
    help = (
        "End consents whose expiry event the program has recorded (an exit, the end of a proceeding), "
        "each audited; safe to run more than once. --enqueue starts the daily task instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the daily task for `offramp worker` and exit"
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            from offramp.cases.tasks import consent_expiry

            result = daily_start(consent_expiry)
            self.stdout.write(
                "Daily consent expiry enqueued." if result else "The daily consent expiry is already queued."
            )
            return
        report = consent_expiry_run()
        self.stdout.write(
            f"Ended {len(report.ended_on_exit)} on exit and {len(report.ended_with_proceeding)} with their "
            f"proceeding; {report.ended_by_date} reached their date in the last day."
        )
