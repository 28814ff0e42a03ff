import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from offramp.files.documents import read_text
from offramp.files.problems import InvalidFile
from offramp.planning import brief as briefs
from offramp.planning import inputs, model
from offramp.planning.arrests import count_arrests

NOT_PLANNED = "No plan written: "


class Command(BaseCommand):
    help = (
        "Plan a LEAD program for a city that has none: screen its arrests against a protocol, then "
        "estimate referrals, case managers, yearly cost, and re-arrests, bookings and jail days avoided "
        "as ranges. Nothing is stored; with --out, writes brief.html and plan.json there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--arrests", required=True, type=Path, help="The city's arrests (CSV)")
        parser.add_argument(
            "--protocol",
            required=True,
            help=f"Protocol file (TOML), or a shipped example: {', '.join(inputs.EXAMPLES)}",
        )
        parser.add_argument(
            "--mapping", type=Path, help="Column mapping (TOML); default: columns named as fields"
        )
        parser.add_argument("--assumptions", type=Path, help="Assumptions (TOML, [assumptions] name = value)")
        parser.add_argument("--out", type=Path, help="Folder to write brief.html and plan.json to")

    def handle(self, *args, arrests, protocol, mapping, assumptions, out, **options):
        arrests = Path(arrests)
        for path in (arrests, mapping, assumptions):
            if path is not None and not Path(path).is_file():
                raise CommandError(f"No such file: {path}")
        if out is not None and not Path(out).is_dir():
            raise CommandError(f"No such folder for --out: {out}")
        protocol_path = Path(protocol)
        try:
            if protocol_path.is_file():
                chosen = inputs.protocol_from(read_text(protocol_path), file=protocol_path.name)
            elif protocol in inputs.EXAMPLES:
                chosen = inputs.protocol_from(None, name=protocol)
            else:
                raise CommandError(
                    f"No such file: {protocol} (nor a shipped example: {', '.join(inputs.EXAMPLES)})"
                )
            given = model.assumptions(
                inputs.assumptions_from_toml(read_text(Path(assumptions)), file=Path(assumptions).name)
                if assumptions
                else {}
            )
            counts = count_arrests(
                arrests, chosen, read_text(Path(mapping)) if mapping else None, file=arrests.name
            )
        except InvalidFile as exc:
            raise CommandError(NOT_PLANNED + "\n".join(exc.messages)) from None
        except model.AssumptionError as exc:
            raise CommandError(NOT_PLANNED + "\n".join(exc.messages)) from None
        brief = briefs.build(counts, given, protocol_label=f"{chosen.label} (version {chosen.version})")
        for label, value in brief["headline"] + brief["effects"]:
            self.stdout.write(f"{label}: {value}")
        if out is not None:
            out = Path(out)
            (out / "brief.html").write_text(
                render_to_string("planning/standalone.html", {"brief": brief}), encoding="utf-8"
            )
            (out / "plan.json").write_text(json.dumps(brief["figures"], indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {out / 'brief.html'} and {out / 'plan.json'}.")
