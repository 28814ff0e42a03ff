"""The words a program may not put in its questions, statuses or exit reasons.

LEAD is harm reduction: nobody fails it, nobody is compliant or not, nothing is a violation and a
drug test is not a program event. A program may reword its lists and questions, but not into that
language; this check refuses it with a message that says why.
"""

import re

from django.core.exceptions import ValidationError

# Each a regular expression matched as whole words, case-insensitive; hyphens and spaces are alike.
REFUSED = (
    r"fail(s|ed|ing|ure|ures)?",
    r"(non[\s-]?)?complian(t|ce)",
    r"comply|complied",
    r"violat(e|es|ed|ing|ion|ions|or|ors)",
    r"dirty",
    r"clean[\s-]+(test|ua|urine|screen)s?",
    r"positive[\s-]+(test|ua|urine|screen|drug[\s-]+test)s?",
    r"tested[\s-]+positive",
    r"relapsed?",
    r"sanction(s|ed)?",
    r"absconde?d?",
)
_PATTERN = re.compile(r"\b(" + "|".join(f"(?:{p})" for p in REFUSED) + r")\b", re.IGNORECASE)

ERR_WORDING = (
    '{what}: "{word}" speaks of failure or compliance, which LEAD does not measure; say what happened '
    'instead (e.g. "No contact for the program\'s period", "Chose to leave").'
)


def refused_word(text: str) -> str | None:
    match = _PATTERN.search(text or "")
    return match.group(0) if match else None


def check_wording(text: str, *, what: str) -> None:
    """ValidationError naming the first refused word in `text`, with `what` naming the field."""
    word = refused_word(text)
    if word is not None:
        raise ValidationError(ERR_WORDING.format(what=what, word=word))
