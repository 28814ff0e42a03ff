"""Files that hold secrets or participant data are created readable by the service account only.

Writing first and tightening the mode afterwards leaves a moment (or, after a crash, for good)
in which another local account can read the file; opening it with mode 0600 does not.
"""

import os
from pathlib import Path

PRIVATE = 0o600


def private_open(path: Path) -> None:
    """Create `path` empty with mode 0600 if it is missing; tighten it if it exists wider."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE)
    try:
        os.fchmod(descriptor, PRIVATE)
    finally:
        os.close(descriptor)


def private_write(path: Path, text: str) -> None:
    """Write `text` to `path` (replacing it), mode 0600 from the first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        os.fchmod(descriptor, PRIVATE)
        out.write(text)
