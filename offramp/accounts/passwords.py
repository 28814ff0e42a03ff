"""The banned-password check: a dated list shipped with offramp, refreshed at least every 90 days.

The list (banned_passwords.txt) holds passwords seen most often in breach
corpora plus words an attacker would try first against a LEAD site. Its first
line is `# updated: YYYY-MM-DD`; a test fails when that date is over 90 days
old, so a stale list is noticed before a release. Django's own common-password
validator (20,000 entries) runs beside this one.
"""

import datetime as dt
import functools
import re
from pathlib import Path

from django.core.exceptions import ValidationError

BANNED_PASSWORDS_FILE = Path(__file__).with_name("banned_passwords.txt")
BANNED_PASSWORD = "That password is on the list of passwords attackers try first. Choose another."  # noqa: S105
_DATE_LINE = re.compile(r"^# updated: (\d{4}-\d{2}-\d{2})\s*$")


def _normalise(password: str) -> str:
    """Lower case, with trailing digits and symbols removed: "Offramp2026!" is "offramp"."""
    return re.sub(r"[\W\d_]+$", "", password.strip().lower()) or password.strip().lower()


@functools.cache
def banned_list() -> tuple[dt.date, frozenset[str]]:
    lines = BANNED_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    match = _DATE_LINE.match(lines[0]) if lines else None
    if match is None:
        raise ValueError(f"{BANNED_PASSWORDS_FILE} must start with '# updated: YYYY-MM-DD'")
    words = {line.strip().lower() for line in lines[1:] if line.strip() and not line.startswith("#")}
    return dt.date.fromisoformat(match.group(1)), frozenset(words)


class BannedPasswordValidator:
    """Refuses a password on the shipped list, as typed or with trailing digits and symbols removed."""

    def validate(self, password, user=None):
        _updated, words = banned_list()
        if password.strip().lower() in words or _normalise(password) in words:
            raise ValidationError(BANNED_PASSWORD, code="password_banned")

    def get_help_text(self):
        return "Your password cannot be one that attackers try first (a list kept up to date with offramp)."
