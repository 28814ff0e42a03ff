from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from offramp.access.scope import Actor
from offramp.analysis.actions import records_import
from offramp.files.documents import read_text
from offramp.files.problems import InvalidFile
from offramp.programs.models import Program


class Command(BaseCommand):
    help = (
        "Load a people or events export (.csv or .parquet) with its column-mapping TOML, whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="The column-mapping TOML file")
        parser.add_argument("--program", required=True, help="Program slug")
        parser.add_argument("--source", default="", help="Where the file came from")

    def handle(self, *args, file, mapping, program, source, **options):
        prog = Program.objects.filter(slug=program).first()
        if prog is None:
            raise CommandError(f"no program with slug {program!r}")
        if not Path(file).is_file():
            raise CommandError(f"no such file: {file}")
        try:
            batch = records_import(
                actor=Actor.system("import-records", program=prog),
                path=Path(file),
                mapping_text=read_text(Path(mapping)),
                mapping_name=Path(mapping).name,
                source=source,
            )
        except (InvalidFile, ValidationError) as exc:
            raise CommandError("the file was not loaded: " + "\n".join(exc.messages)) from None
        self.stdout.write(f"Loaded {batch.rows:,} rows from {batch.file_name} into {prog.name}")
