from django.core.management.base import BaseCommand, CommandParser

from offramp.access.fieldcrypt import field_keys, local_key_file, new_key_entry
from offramp.access.keys import keys_rotate, keys_status
from offramp.access.scope import Actor
from offramp.privatefiles import private_write


class Command(BaseCommand):
    help = (
        "Field-encryption keys. `keys new` prints a new key entry to put first in OFFRAMP_FIELD_KEYS; "
        "`keys rotate` re-seals every encrypted value under the first key while the site runs; "
        "`keys status` counts values per key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        new = sub.add_parser("new", help="Print a new key entry (id:base64key)")
        new.add_argument(
            "--add-to-local-file",
            action="store_true",
            help="Demo and test sites: put the new key first in the data folder's key file",
        )
        sub.add_parser("rotate", help="Re-seal values under the newest key")
        sub.add_parser("status", help="Count stored values per key")

    def handle(self, *args: object, subcommand: str, **options: object) -> None:
        if subcommand == "new":
            entry = new_key_entry()
            if options["add_to_local_file"]:
                path = local_key_file()
                old = path.read_text(encoding="utf-8") if path.exists() else ""
                private_write(path, entry + "\n" + old)
                self.stdout.write(f"Added key {entry.split(':')[0]} first in {path}")
            else:
                self.stdout.write(entry)
            return
        if subcommand == "rotate":
            counts = keys_rotate(actor=Actor.system("keys-rotate"))
            current = field_keys()[0][0]
            for label, count in counts.items():
                self.stdout.write(f"{label}: {count:,} values re-sealed under key {current}")
            return
        for label, per_key in keys_status().items():
            shown = ", ".join(f"{key or 'plain text'}: {n:,}" for key, n in sorted(per_key.items(), key=str))
            self.stdout.write(f"{label}: {shown or 'no values'}")
