import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from offramp.accounts.actions import admin_create


class Command(BaseCommand):
    help = "Create a system administrator for a program (the program is created if it does not exist)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--program", required=True, help="Program slug")
        parser.add_argument("--program-name", help="Name for a new program")
        parser.add_argument("--time-zone", default="America/Los_Angeles", help="Time zone for a new program")
        parser.add_argument(
            "--host",
            action="store_true",
            help="Also the host administrator: creates programs, sees counts across them (no person)",
        )
        parser.add_argument(
            "--password-file",
            help="Read the password from this file instead of asking (or set OFFRAMP_ADMIN_PASSWORD)",
        )

    def handle(
        self, *args, username, email, program, program_name, time_zone, password_file, host, **options
    ):
        password = _password(password_file)
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        try:
            user = admin_create(
                username=username,
                email=email,
                password=password,
                program_slug=program,
                program_name=program_name,
                time_zone=time_zone,
                host=host,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        also = " and host administrator" if host else ""
        self.stdout.write(f"Created system administrator{also} {user.username} for program {program}")


def _password(path: str | None) -> str:
    if path:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    if os.environ.get("OFFRAMP_ADMIN_PASSWORD"):
        return os.environ["OFFRAMP_ADMIN_PASSWORD"]
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("The passwords do not match")
    return first
