from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offramp.access.scope import Actor
from offramp.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE while the site runs: SQLite through its online backup API, "
        "PostgreSQL with pg_dump (custom format), with row counts and a hash of every table. "
        "Field-encryption keys are not in the file: keep them apart (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file to write (replaced if it exists)")

    def handle(self, *args, file, **options):
        try:
            manifest = backup_create(actor=Actor.system("backup"), path=file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        tables = manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        keys = ", ".join(manifest["field_key_ids"]) or "none"
        self.stdout.write(f"Backed up {len(tables)} tables, {rows:,} rows, to {file}")
        self.stdout.write(
            f"Field-encryption keys needed to read its notes: {keys} (not in the file; keep them apart)"
        )
