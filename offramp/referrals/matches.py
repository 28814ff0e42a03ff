"""Never the wrong person: who an officer's referral might already be, and the officer's choice.

The tolerant name match (offramp/people/names.py) over people born on the same day proposes
"possible existing participants"; the officer chooses one or "someone new", and the referral is never
joined to a person silently. A choice travels as a signed token tied to this referral form, so a
person id cannot be typed in, and a stale choice (the record changed) is refused.
"""

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError

from offramp.access.scope import Actor
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.people import names
from offramp.people.models import Person, PersonLink

NEW = "new"
SALT = "offramp.referrals.match"
ERR_CHOOSE = (
    "Someone with this date of birth and a similar name is known to the program: choose whether this "
    "is that person or someone new."
)
ERR_STALE = "That choice no longer matches the records: go back to the person's details and choose again."


@dataclass(frozen=True)
class Match:
    token: str
    active: bool  # an open case: all an officer may learn besides "possible existing participant"


def candidates(actor: Actor, date_of_birth: dt.date) -> list[tuple[Person, list[tuple[str, str]]]]:
    """People in the program born on this day, each with every (first, last) name they are known by.

    Callers are inside trusted(): the officer's lookup (queries) and the divert action.
    """
    people = list(
        Person.objects.filter(program_id=actor.program_id, date_of_birth=date_of_birth).prefetch_related(
            "aliases"
        )
    )
    result = []
    for p in people:
        known = [(p.legal_first_name, p.legal_last_name)]
        if p.preferred_name:
            known.append((p.preferred_name, p.legal_last_name))
        known += [(a.first_name, a.last_name) for a in p.aliases.all()]  # a street name may stand alone
        result.append((p, known))
    return result


def matching_people(actor: Actor, first_name: str, last_name: str, date_of_birth: dt.date) -> list[Person]:
    """The program's people this could be, best match first (callers are inside trusted()).

    Records the case team linked as one person are offered once: the one with an open case, else the
    older record. A split pair is two people again and both are offered.
    """
    scored = [
        (names.name_score(first_name, last_name, known), person.pk, person)
        for person, known in candidates(actor, date_of_birth)
    ]
    people = [
        p for score, _pk, p in sorted(scored, key=lambda s: (-s[0], s[1])) if score >= names.MATCH_THRESHOLD
    ]
    ids = [p.pk for p in people]
    links = PersonLink.objects.filter(
        program_id=actor.program_id, split_at__isnull=True, person_id__in=ids, other_id__in=ids
    ).values_list("person_id", "other_id")
    open_ids = set(
        Case.objects.filter(
            program_id=actor.program_id, person_id__in=ids, status__in=OPEN_STATUSES
        ).values_list("person_id", flat=True)
    )
    hidden = set()
    for low, high in links:
        keep = high if high in open_ids and low not in open_ids else low
        hidden.add(high if keep == low else low)
    return [p for p in people if p.pk not in hidden]


def token_for(person_id: int, key: str) -> str:
    return signing.dumps([person_id, key], salt=SALT)


def matches_for(
    actor: Actor, first_name: str, last_name: str, date_of_birth: dt.date, key: str
) -> list[Match]:
    """The possible existing participants as the officer sees them (callers are inside trusted())."""
    people = matching_people(actor, first_name, last_name, date_of_birth)
    open_ids = set(
        Case.objects.filter(
            program_id=actor.program_id, person__in=people, status__in=OPEN_STATUSES
        ).values_list("person_id", flat=True)
    )
    return [Match(token_for(p.pk, key), p.pk in open_ids) for p in people]


def chosen_person(
    actor: Actor, *, first_name, last_name, date_of_birth, key: str, choice: str
) -> Person | None:
    """The person the officer chose, None for someone new; refuses a missing or stale choice."""
    people = matching_people(actor, first_name, last_name, date_of_birth)
    if choice == NEW:
        return None
    if not choice:
        if people:
            raise ValidationError(ERR_CHOOSE)
        return None
    try:
        person_id, token_key = signing.loads(choice, salt=SALT)
    except signing.BadSignature:
        raise ValidationError(ERR_STALE) from None
    person = next((p for p in people if p.pk == person_id), None)
    if person is None or token_key != key:
        raise ValidationError(ERR_STALE)
    return person
