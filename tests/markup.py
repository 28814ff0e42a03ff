"""What a page says, for tests that check a name is *not* on it.

A page also carries random tokens (the CSRF token, signed choices) in which a short
name such as "Ana" or "P0" turns up by chance now and then. Those runs of 30 or more
token characters are dropped; no word a person reads is that long.
"""

import re

_TOKEN = re.compile(r"[A-Za-z0-9_:\-]{30,}")


def without_tokens(body: str) -> str:
    return _TOKEN.sub("", body)
