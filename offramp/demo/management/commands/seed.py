import sys
import time

from django.core.management.base import BaseCommand, CommandError

from offramp.demo.generator import seed_program


class Command(BaseCommand):
    help = (
        "Add a synthetic LEAD program's participants (deterministic per seed) "
        "for demos, tests and benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=500, help="How many participants to add (default 500)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same data"
        )
        parser.add_argument(
            "--program", default="demo", help="Program slug, created if missing (default demo)"
        )

    def handle(self, *args, people, seed, program, **options):
        if people < 1:
            raise CommandError("--people must be at least 1")
        started = time.perf_counter()
        show = options["verbosity"] > 0 and sys.stderr.isatty()

        def progress(done, total, message):
            if show:
                sys.stderr.write(f"\r{message}{' ' * 10}")

        result = seed_program(people=people, seed=seed, slug=program, progress=progress)
        if show:
            sys.stderr.write("\n")
        self.stdout.write(
            f"Seeded {result.people:,} people, {result.cases:,} cases and {result.contacts:,} contacts "
            f"into {result.program.name} in {time.perf_counter() - started:.1f} s"
        )
