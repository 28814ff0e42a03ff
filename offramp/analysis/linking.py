"""Scoring whether an imported subject is a participant: identifiers first, else name and date of birth.

A subject whose ``participant_id`` names a person in the program, or whose ``incident_number``
matches one of the program's referrals, is linked by identifier (score 1.0). Otherwise people with
the same date of birth are candidates, scored by name similarity (the better of the legal name and
any alias); candidates at or above ``THRESHOLD`` are proposed for a person to accept or reject.
Nothing is ever merged: a link is evidence plus a decision.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import polars as pl

THRESHOLD = 0.8


@dataclass(frozen=True)
class Candidate:
    subject_id: int
    person_id: int
    method: str  # "identifier" or "name_dob"
    score: float


def normalise(name: str | None) -> str:
    """Lowercase ASCII letters only: 'José  O'Brien-Díaz' -> 'joseobriendiaz'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalpha())


def name_score(first_a: str, last_a: str, first_b: str, last_b: str, *, swap: bool = True) -> float:
    """Similarity in [0, 1]: last name weighs 0.6, first name 0.4; swapped first/last is tried too."""

    def sim(a: str, b: str) -> float:
        a, b = normalise(a), normalise(b)
        if not a or not b:
            return 0.0
        return SequenceMatcher(None, a, b).ratio()

    straight = 0.6 * sim(last_a, last_b) + 0.4 * sim(first_a, first_b)
    if not swap:
        return round(straight, 4)
    swapped = 0.6 * sim(last_a, first_b) + 0.4 * sim(first_a, last_b)
    return round(max(straight, swapped), 4)


def candidates(*, subjects: pl.DataFrame, persons: pl.DataFrame, referrals: pl.DataFrame) -> list[Candidate]:
    """Links to propose.

    subjects: id, participant_id, incident_number, first_name, last_name, date_of_birth.
    persons: id, first_name, last_name, date_of_birth (one row per legal name and per alias).
    referrals: person_id, incident_number.
    """
    person_ids = set(persons["id"].to_list())
    by_incident = dict(
        referrals.filter(pl.col("incident_number") != "").select("incident_number", "person_id").iter_rows()
    )
    out: list[Candidate] = []
    linked: set[int] = set()
    for sid, pid, incident in subjects.select("id", "participant_id", "incident_number").iter_rows():
        target = (
            int(pid) if pid and pid.isdigit() and int(pid) in person_ids else by_incident.get(incident or "")
        )
        if target is not None:
            out.append(Candidate(sid, target, "identifier", 1.0))
            linked.add(sid)
    rest = subjects.filter(~pl.col("id").is_in(list(linked)) & pl.col("date_of_birth").is_not_null())
    pairs = rest.join(persons, on="date_of_birth", how="inner", suffix="_p")
    best: dict[tuple[int, int], float] = {}
    for sid, first, last, pid, pfirst, plast in pairs.select(
        "id", "first_name", "last_name", "id_p", "first_name_p", "last_name_p"
    ).iter_rows():
        score = name_score(first, last, pfirst, plast)
        if score >= THRESHOLD and score > best.get((sid, pid), -1):
            best[(sid, pid)] = score
    out += [Candidate(sid, pid, "name_dob", s) for (sid, pid), s in sorted(best.items())]
    return out


@dataclass(frozen=True)
class FieldCheck:
    field: str
    subject_value: str
    participant_value: str
    verdict: str  # "same", "similar" or "different"


def _verdict(a: str, b: str) -> str:
    a, b = normalise(a), normalise(b)
    if a and a == b:
        return "same"
    if a and b and SequenceMatcher(None, a, b).ratio() >= THRESHOLD:
        return "similar"
    return "different"


def compare_fields(
    *, first: str, last: str, dob, names: list[tuple[str, str, str]], person_dob
) -> tuple[str, bool, list[FieldCheck]]:
    """What a reviewer needs to judge a proposed link: which of the participant's names scored best
    (``names`` are (label, first, last): the legal name and each alias), whether first and last
    were swapped, and each field side by side with whether it is the same, similar or different.
    """
    label, pfirst, plast = max(names, key=lambda n: name_score(first, last, n[1], n[2]))
    swapped = name_score(first, last, pfirst, plast) > name_score(first, last, pfirst, plast, swap=False)
    if swapped:
        pfirst, plast = plast, pfirst  # compare crosswise: the extract has first and last the other way round
    checks = [
        FieldCheck("First name", first, pfirst, _verdict(first, pfirst)),
        FieldCheck("Last name", last, plast, _verdict(last, plast)),
        FieldCheck(
            "Date of birth",
            dob.isoformat() if dob else "",
            person_dob.isoformat() if person_dob else "",
            "same" if dob and dob == person_dob else "different",
        ),
    ]
    return label, swapped, checks
