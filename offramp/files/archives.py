"""Reading a zip archive safely: a file that is not a zip, or would inflate too far, is a Problem.

>>> read_zip(b"not a zip", file="hsds.zip")
Traceback (most recent call last):
offramp.files.problems.InvalidFile: hsds.zip: is not a zip archive
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from offramp.files.documents import size_text
from offramp.files.problems import InvalidFile, Problem

MAX_UNZIPPED_BYTES = 50 << 20  # a whole county's service directory is a few MB

ERR_NOT_ZIP = "is not a zip archive"
ERR_BROKEN = "is a damaged or unsupported zip archive: {error}"
ERR_TOO_LARGE = "would unpack to more than {size}"


def read_zip(
    source: Path | bytes, *, file: str = "", max_bytes: int = MAX_UNZIPPED_BYTES
) -> dict[str, bytes]:
    """The files in a zip by base name (a folder zipped with its files reads the same as the files).

    The declared sizes are checked before anything is inflated, and inflating stops at them.
    """
    file = file or (source.name if isinstance(source, Path) else "")
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    files, total = {}, 0
    try:
        with zipfile.ZipFile(data) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                total += info.file_size
                if total > max_bytes:
                    raise InvalidFile([Problem(ERR_TOO_LARGE.format(size=size_text(max_bytes)), file=file)])
                files[PurePosixPath(info.filename).name] = archive.read(info)
    except InvalidFile:
        raise
    except zipfile.BadZipFile as exc:
        message = ERR_NOT_ZIP if "not a zip file" in str(exc) else ERR_BROKEN.format(error=exc)
        raise InvalidFile([Problem(message, file=file)]) from None
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        # damaged data, an unsupported compression method, or an encrypted member
        raise InvalidFile([Problem(ERR_BROKEN.format(error=exc), file=file)]) from None
    return files
