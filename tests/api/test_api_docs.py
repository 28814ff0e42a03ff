"""docs/api.md's scope table is the code's."""

import re
from pathlib import Path

from offramp.api import scopes

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")


def test_the_scope_table_is_the_codes():
    rows = re.findall(r"^\| `([a-z_:]+)` \| (.+?) \| ([a-z_]+) \|$", DOC, flags=re.M)
    assert rows == [(name, words, role) for name, (words, role) in scopes.SCOPES.items()]
