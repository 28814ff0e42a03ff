from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from offramp.access.scope import Actor
from offramp.files.documents import read_text
from offramp.files.problems import InvalidFile
from offramp.programs.models import Program
from offramp.referrals.actions import screening_run_create
from offramp.referrals.screening import results_csv

NOT_LOADED = "Not loaded, nothing stored: "


class Command(BaseCommand):
    help = (
        "Screen a records-system export of arrests against a protocol version: which arrests were "
        "eligible, which of those were diverted (matched to referrals by incident number), which were "
        "missed. The file loads whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("arrests", type=Path, help="The export, as CSV with a header row")
        parser.add_argument("--program", required=True, help="The program's slug")
        parser.add_argument("--protocol", type=int, help="Protocol version (default: the current one)")
        parser.add_argument("--mapping", required=True, type=Path, help="Column mapping file (TOML)")
        parser.add_argument("--out", type=Path, help="Write one result per arrest to this CSV file")

    def handle(self, *args, arrests: Path, program: str, protocol, mapping: Path, out, **options):
        arrests, mapping = Path(arrests), Path(mapping)  # call_command passes options untyped
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program with the slug {program!r}.")
        for path in (arrests, mapping):
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        if out is not None and not Path(out).parent.is_dir():  # before anything is stored
            raise CommandError(f"No such folder for --out: {Path(out).parent}")
        actor = Actor.system("screen", program=found)
        try:
            # The run is kept only once its results file is written: a re-run never duplicates it.
            with transaction.atomic():
                run, frame = screening_run_create(
                    actor=actor,
                    source=arrests,
                    file_name=arrests.name,
                    version=protocol,
                    mapping_text=read_text(mapping),
                    mapping_name=mapping.name,
                )
                if out is not None:
                    results_csv(frame, Path(out))
        except (InvalidFile, ValidationError) as exc:
            raise CommandError(NOT_LOADED + "\n".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(f"{NOT_LOADED}cannot write --out {out}: {exc.strerror}") from None
        self.stdout.write(
            f"Screened {run.rows:,} arrests against {run.protocol_version}: {run.eligible:,} eligible on the "
            f"record, {run.diverted:,} of them diverted, {run.missed:,} missed; {run.diverted_ineligible:,} "
            f"diverted though the record rules them out. Run {run.pk}."
        )
