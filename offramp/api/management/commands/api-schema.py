"""`offramp api-schema [PATH]`: write the API's OpenAPI 3 document (default docs/openapi.json).

`--check` writes nothing and fails when the file differs from what the code describes."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offramp.api.service import api

DEFAULT = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"


def schema_text() -> str:
    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI 3 document (docs/openapi.json), or --check it"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))
        parser.add_argument("--check", action="store_true", help="Fail if the file differs from the code")

    def handle(self, *args, path, check, **options):
        text = schema_text()
        target = Path(path)
        if check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            if current != text:
                raise CommandError(
                    f"{target} does not match the API; run `offramp api-schema` and commit it."
                )
            self.stdout.write(f"{target} matches the API.")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {target}.")
