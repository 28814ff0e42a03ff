from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from offramp.accounts.mfa import demo_totp_code


class Command(BaseCommand):
    help = "Demo sites only: print the current second-factor code of a demo login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.MODE != "demo":
            raise CommandError("offramp demo-code works only on a demo site (OFFRAMP_MODE=demo)")
        user = get_user_model().objects.filter(username=username).first()
        code = demo_totp_code(user) if user is not None else None
        if code is None:
            raise CommandError(f"{username} is not a demo login with a pre-enrolled authenticator")
        self.stdout.write(code)
