"""Reading what a plan starts from: the protocol (a file or a shipped example), the assumptions file."""

from __future__ import annotations

from pathlib import Path

from offramp.files.documents import load_toml
from offramp.referrals import protocol as protocols

EXAMPLES = ("seattle", "santa_fe", "san_francisco")
EXAMPLE_ARRESTS = Path(__file__).resolve().parent / "examples" / "city_arrests.csv"


def protocol_from(text: str | bytes | None, *, name: str = "", file: str = "") -> protocols.Protocol:
    """A protocol from TOML text, or a shipped example by name; raises InvalidFile."""
    if text is None:
        return protocols.example(name)
    return protocols.parse_toml(text, file=file)


def assumptions_from_toml(text: str | bytes, *, file: str = "") -> dict:
    """An assumptions file: `[assumptions]` name = value; raises InvalidFile when it is not TOML."""
    document = load_toml(text, file=file)
    table = document.get("assumptions", document)
    return dict(table) if isinstance(table, dict) else {}
