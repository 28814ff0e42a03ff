"""Tolerant name matching for finding a person: pure Python, so it behaves the same on every database.

Officers type names from an ID card, from what someone says, or from memory. The lookup first
narrows to people with the exact date of birth (an indexed query), then scores each candidate's
legal name, preferred name and aliases here: exact after normalising (case, accents, spaces,
hyphens, apostrophes), the same Soundex code (Smith / Smyth), or close in letter trigrams
(Lopez / Lopes, Katherine / Kathrine).
"""

import unicodedata

MATCH_THRESHOLD = 0.8


def normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if c.isalpha()).lower()


_SOUNDEX = {c: d for d, letters in enumerate(("bfpv", "cgjkqsxz", "dt", "l", "mn", "r"), 1) for c in letters}


def soundex(name: str) -> str:
    """American Soundex of a name ('' for an empty name)."""
    letters = normalise(name)
    if not letters:
        return ""
    code, previous = letters[0].upper(), _SOUNDEX.get(letters[0])
    for c in letters[1:]:
        digit = _SOUNDEX.get(c)
        if digit is not None and digit != previous:
            code += str(digit)
            if len(code) == 4:
                break
        if c not in "hw":  # h and w do not separate letters with the same code
            previous = digit
    return code.ljust(4, "0")


def _trigrams(name: str) -> set[str]:
    padded = f"  {name} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """1.0 for the same normalised name, 0.9 for the same Soundex code, else trigram Jaccard similarity."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if soundex(a) == soundex(b):
        return 0.9
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb)


def name_score(first: str, last: str, known: list[tuple[str, str]]) -> float:
    """How well a typed name matches any of a person's known (first, last) names, 0-1.

    The last name weighs more; a blank typed first name matches any first name; a name given in
    the other order (first typed as last) counts too. A known name with a blank part (a street
    name with no surname) is compared on the part it has.
    """
    best = 0.0
    for known_first, known_last in known:
        for f, l in ((first, last), (last, first)):  # noqa: E741  (first / last, as typed)
            last_part = similarity(l, known_last) if known_last else similarity(l, known_first)
            first_part = (
                1.0 if not normalise(f) or not known_first or not known_last else similarity(f, known_first)
            )
            best = max(best, 0.6 * last_part + 0.4 * first_part)
    return best
