from django.core.management.base import BaseCommand

from offramp.accounts.tasks import expire_accounts


class Command(BaseCommand):
    help = (
        "Queue the task that disables accounts idle for OFFRAMP_ACCOUNT_IDLE_DAYS (90) and temporary "
        "accounts older than OFFRAMP_TEMPORARY_ACCOUNT_HOURS (72). Run it daily from cron or a systemd "
        "timer; the worker (`offramp worker`) runs the task."
    )

    def handle(self, *args, **options):
        result = expire_accounts.enqueue()
        self.stdout.write(f"Queued account expiry as task {result.id}")
