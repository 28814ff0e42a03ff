"""The `offramp` command.

`offramp demo` runs a local demonstration; every other sub-command is a Django
management command (`serve`, `worker`, `seed`, `createadmin`, `migrate`,
`check`, ...), so `offramp help` lists them all.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["demo"], ["demo-code"]):
        # The demo (and its code printer) pick their own mode: a local SQLite site with debug on.
        os.environ.setdefault("OFFRAMP_MODE", "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offramp.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["offramp", *(argv or ["help"])])


if __name__ == "__main__":
    main()
