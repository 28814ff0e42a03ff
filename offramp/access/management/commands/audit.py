from django.core.management.base import BaseCommand, CommandError, CommandParser

from offramp.access.queries import audit_chain_verify
from offramp.access.scope import Actor
from offramp.access.seal import audit_seal


class Command(BaseCommand):
    help = (
        "Audit log tools. `offramp audit verify` seals what is waiting, checks the hash chain and names "
        "the first bad entry; `offramp audit seal` links entries appended since into the chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check every entry's hash and link; exit 1 at the first bad entry")
        seal = sub.add_parser("seal", help="Link unsealed entries into the chain (the worker does this too)")
        seal.add_argument(
            "--grace", type=float, default=0.0, help="Leave entries younger than this many seconds"
        )

    def handle(self, *args: object, subcommand: str, **options: object) -> None:
        if subcommand == "seal":
            grace = options["grace"]
            assert isinstance(grace, float)
            sealed = audit_seal(grace_seconds=grace)
            self.stdout.write(f"Sealed {sealed.sealed:,} entries; the chain ends at #{sealed.head_seq:,}")
            if sealed.refused:
                raise CommandError(
                    f"{len(sealed.refused)} unsealed entries were altered and were not sealed "
                    f"(ids {', '.join(map(str, sealed.refused[:10]))}); run `offramp audit verify`"
                )
            return
        report = audit_chain_verify(actor=Actor.system("audit-verify"))
        if not report.ok:
            raise CommandError(f"Audit chain broken after {report.checked:,} good entries: {report.problem}")
        waiting = f"; {report.unsealed:,} appended meanwhile, not yet sealed" if report.unsealed else ""
        self.stdout.write(
            f"Audit chain intact: {report.checked:,} entries{waiting}; head hash {report.head_hash} "
            "(record it outside this system to detect the removal of the whole log)"
        )
