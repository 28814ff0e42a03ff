from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from offramp.access.scope import Actor
from offramp.files.documents import read_text
from offramp.programs.models import Program
from offramp.reports import council
from offramp.reports.council_files import write_report

NOT_MADE = "No report made, nothing stored: "
EXAMPLES = Path(council.__file__).resolve().parent / "examples"


class Command(BaseCommand):
    help = (
        "One report for a council or policy group from raw exports: screen the records system's arrests "
        "(--arrests, with its --mapping), add the legal system's records of the evaluation's people "
        "(--records, with --records-mapping), and write report.html (a plain-language summary first; "
        "screening, equity, participation and outcomes, the evaluation against the comparison group, "
        "and the data's provenance) and report.json (every figure) to --out. A bad row in either file "
        "stops it with the file, line and field, and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="Program slug")
        parser.add_argument("--arrests", required=True, type=Path, help="Records-system arrests (CSV)")
        parser.add_argument("--records", required=True, type=Path, help="Legal-system records (CSV)")
        parser.add_argument(
            "--mapping", required=True, type=Path, help="Column mapping of the arrests file (TOML)"
        )
        parser.add_argument(
            "--records-mapping",
            type=Path,
            default=EXAMPLES / "legal_events_mapping.toml",
            help="Column mapping of the legal records (TOML); default: the shipped example's",
        )
        parser.add_argument("--out", required=True, type=Path, help="Folder for report.html and report.json")

    def handle(self, *args, program, arrests, records, mapping, records_mapping, out, **options):
        for path in (arrests, records, mapping, records_mapping):
            if not Path(path).is_file():
                raise CommandError(f"No such file: {path}")
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program with slug {program!r}")
        try:
            Path(out).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot write the report to {out}: {exc.strerror or exc}") from None

        def progress(done: int, total: int, message: str) -> None:
            self.stderr.write(f"[{done}/{total}] {message}")

        try:
            report = council.council_report_build(
                actor=Actor.system("council-report", program=found),
                arrests=Path(arrests),
                records=Path(records),
                arrests_mapping=read_text(Path(mapping)),
                records_mapping=read_text(Path(records_mapping)),
                arrests_mapping_name=Path(mapping).name,
                records_mapping_name=Path(records_mapping).name,
                progress=progress,
            )
        except ValidationError as exc:
            raise CommandError(NOT_MADE + "\n".join(exc.messages)) from None
        html, data = write_report(report, Path(out))
        for line in report["summary"]:
            self.stdout.write(line)
        self.stdout.write(f"Wrote {html} and {data}")
