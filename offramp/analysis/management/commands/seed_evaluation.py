from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from offramp.analysis.synthetic import seed_evaluation
from offramp.programs.models import Program


class Command(BaseCommand):
    help = (
        "Add synthetic legal-system records (participants' and a comparison pool's arrests, bookings, "
        "charges, jail and prison) and the Seattle-design study to a program, for demos."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", default="demo", help="Program slug (default demo)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, program, seed, **options):
        prog = Program.objects.filter(slug=program).first()
        if prog is None:
            raise CommandError(f"no program with slug {program!r}; run `offramp seed` first")
        try:
            made = seed_evaluation(program=prog, seed=seed)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"Added {made.people:,} people ({made.linked:,} participants) and {made.events:,} events, "
            f"and the study “{made.study.name}”, to {prog.name}"
        )
