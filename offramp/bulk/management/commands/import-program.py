"""`offramp import-program --program SLUG --mapping MAP.toml FILE [--contacts C --contacts-mapping CMAP.toml]
[--dry-run]`: bring in an existing program's caseload (people, cases, case managers, consents) and its
contacts, from CSV or a spreadsheet, whole or not at all."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offramp.access.scope import Actor
from offramp.bulk.actions import ContactsFile, program_import
from offramp.programs.models import Program


class Command(BaseCommand):
    help = (
        "Import an existing program's caseload export (CSV, XLSX, XLS or ODS) with a mapping file, and "
        "optionally its contacts with theirs; --dry-run only checks"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--program", required=True)
        parser.add_argument("--mapping", required=True)
        parser.add_argument("--contacts", help="the contacts export, one row per contact")
        parser.add_argument("--contacts-mapping", help="the contacts export's mapping file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, program, mapping, contacts, contacts_mapping, dry_run, **options):
        if bool(contacts) != bool(contacts_mapping):
            raise CommandError("--contacts and --contacts-mapping go together.")
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program {program!r}.")
        try:
            mapping_text = Path(mapping).read_text(encoding="utf-8")
            contact_file = (
                ContactsFile(Path(contacts), Path(contacts_mapping).read_text(encoding="utf-8"))
                if contacts
                else None
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Could not read a mapping file: {exc}") from None
        report = program_import(
            actor=Actor.system("import-program", program=found),
            path=Path(file),
            mapping_text=mapping_text,
            dry_run=dry_run,
            contacts=contact_file,
        )
        if report.problems:
            raise CommandError("Nothing was imported:\n" + "\n".join(report.problems))
        for line, person_id in report.joined:
            self.stdout.write(f"line {line}: joins person {person_id} (same legal name and date of birth)")
        for row in report.suggested:
            who = f"person {row.person_id}" if row.person_id else "the new person"
            maybe = f"person {row.maybe}" if row.maybe else f"the new person of line {row.maybe_line}"
            self.stdout.write(
                f"line {row.line}: {who} may be {maybe} ({row.reason}): a link is suggested for "
                "the case team to review"
            )
        verb = "Would import" if dry_run else "Imported"
        contacts_said = f", {report.contacts} contacts" if contacts and not dry_run else ""
        self.stdout.write(
            f"{verb} {report.rows} cases, {report.people_created} new people, {len(report.joined)} joined"
            f"{contacts_said}, {report.links_suggested} links suggested for review."
        )
