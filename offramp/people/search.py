"""Finding anyone: one box for a name (accents, spelling variants and aliases), a date of birth or a
case number, answered at the depth the asker's role may see, and audited without the words typed.

The words never travel in a URL: the search box posts (see tests/web/test_no_personal_data_in_urls.py).
Names are scored in Python by `offramp.people.names` so every database answers the same.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.cases.wording import status_labels
from offramp.people import names
from offramp.people.models import Alias, Person

RESULT_LIMIT = 25
NAME_THRESHOLD = 0.75  # a little looser than the referral's duplicate check: a search shows, never merges
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y")
CASE_NUMBER = re.compile(r"^(?:case\s*)?#?(\d{1,9})$", re.IGNORECASE)
ERR_EMPTY = "Type a name, a date of birth (1980-05-17 or 5/17/1980) or a case number (#123)."


@dataclass(frozen=True)
class Terms:
    first: str = ""
    last: str = ""
    date_of_birth: dt.date | None = None
    case_id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.last or self.date_of_birth or self.case_id)


def parse(text: str) -> Terms:
    """Split what was typed into a date of birth, a case number and the words of a name."""
    words, dob = [], None
    text = (text or "").strip()
    match = CASE_NUMBER.match(text)
    if match:
        return Terms(case_id=int(match.group(1)))
    for word in text.replace(",", " ").split():
        parsed = _date(word)
        if parsed is not None:
            dob = parsed
        else:
            words.append(word)
    first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", words[0] if words else "")
    return Terms(first=first, last=last, date_of_birth=dob)


def _date(word: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class Hit:
    case_id: int | None  # None: a match the asker may not open
    name: str
    date_of_birth: dt.date | None
    status: str
    case_manager: str
    also_known_as: str = ""


@dataclass
class Results:
    terms: Terms
    hits: list[Hit] = field(default_factory=list)
    elsewhere: dict = field(default_factory=dict)  # case manager -> how many matches on their caseload


def participant_search(actor: Actor, text: str) -> Results:
    """Participants matching `text`, newest case first. Case managers see their own caseload in full and,
    for anyone else in the program, only that an open case exists and whose caseload it is on
    (participation status); supervisors and project managers see the program."""
    scope = actor.require(Category.IDENTITY, Scope.OWN)
    terms = parse(text)
    results = Results(terms=terms)
    if terms.empty:
        return results
    with trusted("people.participant_search"):
        person_ids = _matching_people(actor, terms)
        cases = Case.objects.filter(program_id=actor.program_id, person_id__in=person_ids)
        if terms.case_id is not None:
            cases = Case.objects.filter(program_id=actor.program_id, pk=terms.case_id)
        cases = list(
            cases.select_related("person", "case_manager").order_by("-opened_at")[: RESULT_LIMIT * 4]
        )
    seen_people = set()
    labels = status_labels(actor.program)  # the program's own wording
    for case in cases:
        mine = scope == Scope.PROGRAM or case.case_manager_id == actor.user_id
        if not mine:
            if case.status in OPEN_STATUSES:
                who = str(case.case_manager) if case.case_manager else "no one yet (unassigned)"
                results.elsewhere[who] = results.elsewhere.get(who, 0) + 1
            continue
        if case.person_id in seen_people or len(results.hits) >= RESULT_LIMIT:
            continue
        seen_people.add(case.person_id)
        results.hits.append(
            Hit(
                case_id=case.pk,
                name=case.person.display_name,
                date_of_birth=case.person.date_of_birth,
                status=labels[case.status],
                case_manager=str(case.case_manager) if case.case_manager else "Unassigned",
                also_known_as=_legal_if_different(case.person),
            )
        )
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        object_type="Person",
        # What was found, never what was typed: the words are personal data.
        detail={
            "view": "participant_search",
            "by": [
                k
                for k, v in (("name", terms.last), ("dob", terms.date_of_birth), ("case", terms.case_id))
                if v
            ],
            "shown_case_ids": [h.case_id for h in results.hits],
            "elsewhere": sum(results.elsewhere.values()),
            "at": timezone.now().isoformat(),
        },
    )
    return results


def _legal_if_different(person: Person) -> str:
    legal = f"{person.legal_first_name} {person.legal_last_name}".strip()
    return legal if legal != person.display_name else ""


def _matching_people(actor: Actor, terms: Terms) -> set[int]:
    """Ids of the program's people matching the terms (callers are inside trusted())."""
    if terms.case_id is not None:
        return set()
    people = Person.objects.filter(program_id=actor.program_id)
    if terms.date_of_birth is not None:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if not terms.last:
        return set(people.values_list("pk", flat=True)[: RESULT_LIMIT * 4])
    known: dict[int, list[tuple[str, str]]] = {}
    for pk, first, last, preferred in people.values_list(
        "pk", "legal_first_name", "legal_last_name", "preferred_name"
    ):
        known[pk] = [(first, last)] + ([(preferred, last)] if preferred else [])
    aliases = Alias.objects.filter(program_id=actor.program_id)
    if terms.date_of_birth is not None:
        aliases = aliases.filter(Q(person__date_of_birth=terms.date_of_birth))
    for pk, first, last in aliases.values_list("person_id", "first_name", "last_name"):
        known.setdefault(pk, []).append((first, last))
    scored = [(names.name_score(terms.first, terms.last, options), pk) for pk, options in known.items()]
    return {pk for score, pk in scored if score >= NAME_THRESHOLD}
