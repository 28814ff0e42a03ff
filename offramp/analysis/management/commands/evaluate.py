import time
from pathlib import Path

import polars as pl
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from offramp.access.scope import Actor, trusted
from offramp.analysis import actions
from offramp.analysis.models import Study
from offramp.analysis.output import write_report
from offramp.analysis.presentation import summary_text
from offramp.evaluation.cohort import CohortError
from offramp.evaluation.report import run_study
from offramp.evaluation.study import StudyError, study_load
from offramp.programs.models import Program

BAR = 30


def one_line(message: str) -> str:
    return " ".join(message.split())


class ProgressBar:
    """A one-line bar on a terminal; one line per step when the output is not a terminal."""

    def __init__(self, stream):
        # stream: the command's OutputWrapper, whose write() takes an ``ending``.
        self.stream, self.tty, self.started = stream, stream.isatty(), time.perf_counter()

    def __call__(self, done: int, total: int, message: str) -> None:
        filled = round(BAR * done / total) if total else BAR
        bar = "#" * filled + "." * (BAR - filled)
        line = f"[{bar}] {done}/{total} {time.perf_counter() - self.started:5.1f}s {message}"
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120), ending="\n" if done >= total else "")
        else:
            self.stream.write(line)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Run a study: on a program's imported, de-identified records (--program), or on a people and an "
        "events file (--people, --events). Prints the summary; writes report.html and report.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("study", help="The study definition (TOML)")
        parser.add_argument("--program", default="demo", help="Program slug (default demo)")
        parser.add_argument(
            "--out", default="evaluation-report", help="Folder for report.html and report.json"
        )
        parser.add_argument(
            "--people", help="A people file (.csv or .parquet) instead of a program's records"
        )
        parser.add_argument("--events", help="The events file that goes with --people")

    def handle(self, *args, study, program, out, people, events, **options):
        # Everything that can be checked is checked before anything is run or stored: the study
        # file (every field, within its bounds), the files going together, the program, the folder.
        try:
            parsed = study_load(path=study)
        except (StudyError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if bool(people) != bool(events):
            raise CommandError("--people and --events go together")
        prog = None
        if not people:
            prog = Program.objects.filter(slug=program).first()
            if prog is None:
                raise CommandError(f"no program with slug {program!r}")
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot write the report to {out}: {exc.strerror or exc}") from None
        bar = ProgressBar(self.stderr)
        if people:
            result = self._from_files(parsed, people, events, bar)
        else:
            result = self._from_program(Path(study).read_text(), parsed.name, prog, bar)
        # The program's own small-cell threshold for a program's run; the deployment's for files.
        html, data = write_report(result, folder, small_cell=prog.small_cell if prog else None)
        self.stdout.write(summary_text(result))
        self.stdout.write(f"Wrote {html} and {data}")

    def _from_files(self, parsed, people, events, bar) -> dict:
        def read(path):
            return (
                pl.read_parquet(path)
                if path.endswith((".parquet", ".pq"))
                else pl.read_csv(path, try_parse_dates=True)
            )

        try:
            return run_study(parsed, read(people), read(events), progress=bar)
        except (CohortError, OSError, pl.exceptions.PolarsError) as exc:
            raise CommandError(str(exc)) from None

    def _from_program(self, text, name, prog, bar) -> dict:
        actor = Actor.system("evaluate", program=prog)
        with trusted("evaluate command: find the study by name"):
            saved = Study.objects.filter(program=prog, name=name).first()
        # Run what the file says now, even if the saved study has since been edited; store the study
        # and the run only once it has run, so a file that cannot run leaves nothing behind.
        computed = actions.study_compute(actor=actor, toml=text, progress=bar)
        if computed[1]:
            raise CommandError(f"the study could not be run, nothing stored: {one_line(computed[1])}")
        try:
            saved = saved or actions.study_create(actor=actor, toml=text)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        run = actions.study_run_create(actor=actor, study=saved, toml=text)
        run = actions.study_run_execute(actor=actor, run_id=run.pk, computed=computed)
        self.stderr.write(
            f"Saved as run {run.pk} of “{saved.name}” in {prog.name}: the evaluation page shows it."
        )
        return run.result
