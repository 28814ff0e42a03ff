"""The `offramp` command.

`offramp demo` runs a local demonstration; every other sub-command is a Django
management command (`serve`, `worker`, `backup`, `seed`, `createadmin`, `migrate`,
`check`, ...), so `offramp help` lists them all.

Help needs no configuration: `offramp help`, `offramp help COMMAND` and
`offramp COMMAND --help` work in production mode with nothing set, because only
help is printed and no command runs. A setting that is missing or unsafe for a
real command is one line naming the variable to set, not a traceback.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

from offramp import envvars

HELP_WORDS = ("help", "-h", "--help")
PRIVATE_UMASK = 0o077  # databases, keys, uploads and backups readable by the service account only


def help_requested(argv: list[str]) -> bool:
    """True when the command line can only print help (arguments after `--` are not options)."""
    if not argv or argv[0] in HELP_WORDS:
        return True
    options = argv[: argv.index("--")] if "--" in argv else argv
    return "-h" in options[1:] or "--help" in options[1:]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["demo"], ["demo-code"]):
        # The demo (and its code printer) pick their own mode: a local SQLite site with debug on.
        os.environ.setdefault("OFFRAMP_MODE", "demo")
    if help_requested(argv):
        envvars.help_only_set()
    os.umask(PRIVATE_UMASK)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offramp.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["offramp", *(argv or ["help"])])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"offramp: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
