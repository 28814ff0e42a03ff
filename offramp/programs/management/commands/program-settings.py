from django.core.management.base import BaseCommand, CommandError

from offramp.programs import configuration
from offramp.programs.models import Program


class Command(BaseCommand):
    help = (
        "The program settings and their defaults. --markdown prints docs/program-settings.md; "
        "--program SLUG lists one program's values beside the defaults."
    )

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="Print the settings table as Markdown")
        parser.add_argument("--program", help="A program's slug: show its values")

    def handle(self, *args, markdown, program, **options):
        if markdown:
            self.stdout.write(configuration.markdown(), ending="")
            return
        found = Program.objects.filter(slug=program).first() if program else None
        if program and found is None:
            raise CommandError(f"No program with the slug {program!r}.")
        for setting in configuration.SETTINGS_LIST:
            value = setting.as_text(found.setting(setting.key)) if found else ""
            shown = value.replace("\n", "; ") if found else setting.shown_default
            self.stdout.write(f"{setting.key}: {shown}")
