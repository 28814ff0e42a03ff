"""What an uploaded file is, from its bytes: a PDF, a PNG, a JPEG or plain text, or a clear refusal.

The name and the type the browser sends are never trusted: a file is what its first bytes say.
Plain text must be UTF-8 without NUL or other control characters (tabs, line and page breaks are
fine). Each refusal names what was found and what is accepted.
"""

from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024  # a scanned multi-page form is a few megabytes

PDF, PNG, JPEG, TEXT = "application/pdf", "image/png", "image/jpeg", "text/plain"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TEXT: ".txt"}
ACCEPTED = "a PDF, a PNG or JPEG image, or plain text"

ERR_EMPTY = "The file is empty: choose the file again."
ERR_TOO_LARGE = "The file is {size}; a document may be at most 10 MB. Scan it at a lower resolution."
ERR_TYPE = "This file is not {accepted}; save or scan it as one of those and upload it again."
ERR_TEXT = "This file is not plain text (it holds binary data); upload {accepted}."

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


class RefusedFile(ValueError):
    """The file cannot be kept; the message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    size: int


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def check_size(size: int) -> None:
    if size <= 0:
        raise RefusedFile(ERR_EMPTY)
    if size > MAX_BYTES:
        raise RefusedFile(ERR_TOO_LARGE.format(size=size_text(size)))


def sniff(data: bytes) -> Sniffed:
    """The file's type from its bytes, or RefusedFile."""
    check_size(len(data))
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return Sniffed(content_type, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RefusedFile(ERR_TYPE.format(accepted=ACCEPTED)) from None
    if any(ch < " " and ch not in _ALLOWED_CONTROLS or ch == "\x7f" for ch in text):
        raise RefusedFile(ERR_TEXT.format(accepted=ACCEPTED))
    return Sniffed(TEXT, len(data))


def clean_name(name: str, content_type: str) -> str:
    """A safe file name to offer on download: no folders, no odd characters, the right extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in base).strip(" .")[:100]
    stem = kept.rsplit(".", 1)[0] if "." in kept else kept
    extension = EXTENSIONS[content_type]
    return f"{stem or 'document'}{extension}"
