from django.core.management.base import BaseCommand, CommandError, CommandParser

from offramp.access.queries import audit_chain_verify
from offramp.access.scope import Actor


class Command(BaseCommand):
    help = "Audit log tools. `offramp audit verify` checks the hash chain and names the first bad entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check every entry's hash and link; exit 1 at the first bad entry")

    def handle(self, *args: object, subcommand: str, **options: object) -> None:
        report = audit_chain_verify(actor=Actor.system("audit-verify"))
        if not report.ok:
            raise CommandError(f"Audit chain broken after {report.checked:,} good entries: {report.problem}")
        self.stdout.write(
            f"Audit chain intact: {report.checked:,} entries; head hash {report.head_hash} "
            "(record it outside this system to detect the removal of the whole log)"
        )
