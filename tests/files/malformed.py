"""Malformed inputs shared by the import tests, and running a command as the `offramp` CLI would.

Not a test module. Each input is one finding of the outside probe: deep nesting, numbers that
overflow, NUL characters, a `.zip` that is not a zip.
"""

import pytest
from django.core.management import ManagementUtility
from django.db import connections

DEEP_TOML = "a = " + "[" * 4000 + "]" * 4000 + "\n"  # under the forms' 10,000-character limit
DEEP_JSON = "[" * 100_000 + "]" * 100_000
NOT_A_ZIP = b"PK? no, just text that calls itself a zip"


def refused_by_cli(capsys, *argv: str) -> str:
    """Run `offramp ARGV...` in this process; it must exit 1 with one line on stderr, which is returned."""
    capsys.readouterr()
    # run_from_argv closes every connection when it ends; the test's own, in its transaction, must stay.
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit) as exited:
        patch.setattr(connections, "close_all", lambda: None)
        ManagementUtility(["offramp", *argv]).execute()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]
