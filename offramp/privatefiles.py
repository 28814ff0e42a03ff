"""Files that hold secrets or participant data are created readable by the service account only.

Writing first and tightening the mode afterwards leaves a moment (or, after a crash, for good)
in which another local account can read the file; opening it with mode 0600 does not.
"""

import os
import uuid
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


def upload_save(upload, path: Path) -> Path:
    """Write an uploaded file to `path`, mode 0600 from the first byte: uploads carry participant data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    with os.fdopen(descriptor, "wb") as out:
        os.fchmod(descriptor, PRIVATE)
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def upload_keep(upload, kind: str) -> Path:
    """Keep an upload in the data folder's uploads for a background task (which removes it when done,
    as does the worker's lost-task sweep); the name is random, the suffix the upload's own."""
    from django.conf import settings

    folder = settings.DATA_DIR / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return upload_save(upload, folder / f"{kind}-{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}")
