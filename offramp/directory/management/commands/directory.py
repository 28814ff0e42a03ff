import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from offramp.access.scope import Actor
from offramp.directory import actions, queries
from offramp.directory.writing import to_json, to_tabular
from offramp.programs.models import Program


class Command(BaseCommand):
    help = (
        "The service directory (Open Referral HSDS 3.0). `directory import PATH --program SLUG` loads a "
        "JSON file, a tabular data package (folder or zip of CSVs with datapackage.json) or a folder of "
        "JSON files, whole or not at all; `directory export DIR --program SLUG [--format csv|json]` "
        "writes it out."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("import", help="Load an HSDS file, folder or zip")
        load.add_argument("path")
        load.add_argument("--program", required=True, help="Program slug")
        dump = sub.add_parser("export", help="Write the directory to a folder")
        dump.add_argument("path")
        dump.add_argument("--program", required=True, help="Program slug")
        dump.add_argument("--format", choices=("csv", "json"), default="csv")

    def handle(self, *args, verb, path, program, **options):
        prog = Program.objects.filter(slug=program).first()
        if prog is None:
            raise CommandError(f"no program with slug {program!r}")
        actor = Actor.system(f"directory {verb}", program=prog)
        if verb == "import":
            try:
                result = actions.directory_import(actor=actor, path=Path(path))
            except ValidationError as exc:
                # The count, then the problems: the first line says what went wrong on its own.
                count, *problems = exc.messages
                first = f"{count.rstrip('.')}: {problems[0]}" if problems else count
                raise CommandError("\n".join([first, *problems[1:]])) from None
            for warning in result.warnings:
                self.stderr.write(f"warning: {warning}")
            created, updated = sum(result.created.values()), sum(result.updated.values())
            self.stdout.write(
                f"Loaded {created} new and {updated} updated records into {prog.name}'s directory."
            )
            return
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        rows = queries.directory_rows(actor, purpose=f"export to {options['format']} files")
        if options["format"] == "csv":
            files = to_tabular(rows)
        else:
            files = {
                name: json.dumps(doc, indent=2, ensure_ascii=False) for name, doc in to_json(rows).items()
            }
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {len(files)} files to {out}.")
