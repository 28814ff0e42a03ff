from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offramp.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `offramp backup` into the configured database, which must be empty; "
        "then check every table against the backup, verify the audit chain and name any missing key."
    )
    requires_system_checks = []  # the database is empty until restored

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A file written by `offramp backup`")

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"No backup file at {file}")
        try:
            report = backup_restore(path=file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {report.tables} tables, {report.rows:,} rows, each identical to the backup; "
            f"audit chain intact ({report.audit_entries:,} entries)"
        )
        if report.missing_keys:
            self.stderr.write(
                "Field-encryption keys missing here: "
                + ", ".join(report.missing_keys)
                + ". Add them to OFFRAMP_FIELD_KEYS (or its file) before the site opens notes."
            )
        if report.migrations_pending:
            self.stdout.write(
                f"{report.migrations_pending} migrations are newer than the backup: run `offramp migrate`"
            )
