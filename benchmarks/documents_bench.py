"""What sealing a case's document costs: the stored size and the time to seal and open it.

A document's bytes are base64-encoded inside one AES-256-GCM sealed value (EncryptedBytesField), so the
database holds about 1.8 times the file's size. Seals and opens random files of 100 KB, 1 MB and the
10 MB limit with the site's field keys (a test site's key file), and prints a table. No database.
Run:

    OFFRAMP_MODE=test .venv/bin/python benchmarks/documents_bench.py
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offramp.settings")

import django  # noqa: E402

django.setup()

from offramp.documents.models import Document  # noqa: E402
from offramp.documents.sniff import MAX_BYTES  # noqa: E402


def main() -> None:
    field = Document._meta.get_field("content")
    print("| file | stored | ratio | seal | open |")
    print("|---:|---:|---:|---:|---:|")
    for size in (100_000, 1_000_000, MAX_BYTES):
        data = os.urandom(size)
        started = time.perf_counter()
        sealed = field.get_prep_value(data)
        sealing = time.perf_counter() - started
        started = time.perf_counter()
        opened = field.from_db_value(sealed, None, None)
        opening = time.perf_counter() - started
        assert opened == data
        print(
            f"| {size:,} B | {len(sealed):,} chars | {len(sealed) / size:.2f} | "
            f"{sealing * 1000:.0f} ms | {opening * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
