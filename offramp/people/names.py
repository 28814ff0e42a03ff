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


def letters_apart(a: str, b: str) -> int:
    """How many letters one normalised name needs changed, added or dropped to become the other."""
    a, b = normalise(a), normalise(b)
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[len(b)]


_COUNTS = {1: "one letter", 2: "two letters"}


def _part_difference(label: str, typed: str, known: str) -> str:
    """How one part of a name differs, in words ('' when it is the same)."""
    a, b = normalise(typed), normalise(known)
    if a == b:
        return ""
    if not a or not b:
        return f"{label} missing on one record"
    apart = letters_apart(a, b)
    if apart == 1:
        return f"{label} differs by one letter"
    if soundex(a) == soundex(b):
        return f"{label} sounds the same"
    return f"{label} differs by {_COUNTS.get(apart, f'{apart} letters')}"


_AGAINST = {"legal name": "", "preferred name": "their preferred name", "alias": "one of their aliases"}


def likeness(first: str, last: str, known: list[tuple[str, str, str]]) -> str:
    """Why a name may be one of a person's known names, in words the case team reads beside the two
    records: never the names themselves. `known` holds (first, last, what that name is: "legal name",
    "preferred name" or "alias"); the best-matching one is described, as `name_score` chooses it."""
    known_first, known_last, kind = max(known, key=lambda k: name_score(first, last, [(k[0], k[1])]))
    straight = 0.6 * similarity(last, known_last) + 0.4 * similarity(first, known_first)
    crossed = 0.6 * similarity(first, known_last) + 0.4 * similarity(last, known_first)
    if normalise(first) and crossed > straight:
        words = ["first and last names the other way round"]
    else:
        words = [
            w
            for w in (
                _part_difference("last name", last, known_last),
                "first name not given" if not normalise(first) and known_first else "",
                _part_difference("first name", first, known_first) if normalise(first) else "",
            )
            if w
        ]
    against = _AGAINST.get(kind, "")
    if not words:
        said = f"the same name as {against}" if against else "the same name"
    else:
        said = ", ".join(words) + (f" from {against}" if against else "")
    return f"same date of birth; {said}"
