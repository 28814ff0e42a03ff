"""Finding a person, answered at the depth each role may see."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from offramp.access.actions import disclosure_record
from offramp.access.audit import Action, audit_record, audited_not_found
from offramp.access.consent import REDISCLOSURE_NOTICE, consent_scope, consents_covering
from offramp.access.models import AuditEntry, Consent
from offramp.access.policy import CONSENT_GATED, Category, Scope, case_team_scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.cases.wording import status_labels
from offramp.people.models import Alias, LinkSuggestion, Person, PersonLink
from offramp.people.throttle import LOOKUP_VIEW, lookups_exhausted, too_many_message

# The empty answer. A consent-gated asker (the prosecutor) reads the same words whether there is no
# record or no consent, byte for byte; the words say so, and how to ask the program.
NO_RECORD = "No active participant found."
NO_RECORD_YOU_MAY_SEE = "There is no participant record you may see for this name and date of birth."
HOW_TO_ASK = (
    "A record is shown to your office only where the participant agreed to share it. To ask about "
    "this person, contact {program}{phone}."
)


def consent_gated(actor: Actor) -> bool:
    """Whether this actor's lookup answers only under a participant's consent."""
    return actor.scope(Category.STATUS) == Scope.LIMITED and any(
        (role, Category.STATUS) in CONSENT_GATED for role in actor.roles
    )


def how_to_ask(actor: Actor) -> str:
    phone = (actor.program.configuration or {}).get("intake_phone", "")
    return HOW_TO_ASK.format(program=actor.program.name, phone=f" at {phone}" if phone else "")


class TooManyLookups(Exception):
    """The user, or the address, has made as many lookups as the window allows."""


@dataclass(frozen=True)
class StatusAnswer:
    """What a lookup may say about one person. Fields a role may not see stay None."""

    active: bool
    name: str | None = None
    date_of_birth: dt.date | None = None
    status_label: str | None = None
    opened_at: dt.datetime | None = None
    intake_completed_at: dt.datetime | None = None
    status_changed_at: dt.datetime | None = None
    case_id: int | None = None
    # A disclosure under consent carries the redisclosure notice and the consent's scope.
    notice: str | None = None
    consent_scope: str | None = None


def status_lookup(
    actor: Actor, *, last_name: str, date_of_birth: dt.date, first_name: str = ""
) -> list[StatusAnswer]:
    """Is this person an active participant? Matches legal names and aliases, with the exact date of birth.

    Officers learn only "active participant" or "not known". A prosecutor sees
    name, date of birth, status and dates, and only where the person consented to
    that disclosure: no consent reads exactly like no record. Case staff see the
    status and, where the case is theirs to open, a link to it.
    """
    actor.require(Category.STATUS)
    if lookups_exhausted(actor):
        audit_record(
            actor=actor,
            action=Action.SEARCH,
            object_type="Person",
            outcome=AuditEntry.Outcome.DENIED,
            detail={"view": LOOKUP_VIEW, "refused": "too many lookups"},
        )
        raise TooManyLookups(too_many_message())
    name_match = Q(legal_last_name__iexact=last_name.strip()) | Q(
        aliases__last_name__iexact=last_name.strip()
    )
    if first_name.strip():
        name_match &= (
            Q(legal_first_name__iexact=first_name.strip())
            | Q(aliases__first_name__iexact=first_name.strip())
            | Q(preferred_name__iexact=first_name.strip())
        )
    with trusted("people.status_lookup"):
        cases = list(
            Case.objects.filter(
                program_id=actor.program_id,
                status__in=OPEN_STATUSES,
                person__in=Person.objects.filter(
                    name_match, program_id=actor.program_id, date_of_birth=date_of_birth
                ),
            ).select_related("person")
        )
        consents = None
        if consent_gated(actor):
            # A disclosure outside the case team: only under a consent, and written to the ledger.
            consents = consents_covering(
                program_id=actor.program_id,
                person_ids={c.person_id for c in cases},
                recipient_class=Consent.Recipient.PROSECUTOR,
                category=Category.STATUS,
            )
            cases = [c for c in cases if c.person_id in consents]
            for case in cases:
                disclosure_record(
                    actor=actor,
                    consent=consents[case.person_id],
                    categories=[Category.STATUS],
                    description="Participation status and its dates (status lookup)",
                )
        own_case_ids = set()
        if actor.has(Category.CASE_RECORD, Scope.OWN):
            case_scope = actor.scope(Category.CASE_RECORD)
            own_case_ids = {
                c.pk for c in cases if case_scope == Scope.PROGRAM or c.case_manager_id == actor.user_id
            }
    # One entry per lookup (the throttle counts them), naming the first person it matched, and one
    # more per further person, so "who looked at this participant?" finds every lookup that did.
    matched = sorted({c.person_id for c in cases})
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        object_type="Person",
        object_id=matched[0] if matched else "",
        detail={"view": LOOKUP_VIEW, "matched_person_ids": matched},
    )
    for person_id in matched[1:]:
        audit_record(
            actor=actor,
            action=Action.SEARCH,
            object_type="Person",
            object_id=person_id,
            detail={"view": "status_lookup_match"},
        )
    if not actor.has(Category.CASE_RECORD, Scope.OWN) and not actor.has(Category.LEGAL):
        # Officers: the fact of participation, nothing more, and once however many cases match.
        return [StatusAnswer(active=True)] if cases else []
    labels = status_labels(actor.program)
    return [
        _answer(case, labels, may_open=case.pk in own_case_ids, consent=consents and consents[case.person_id])
        for case in cases
    ]


def _answer(case: Case, labels: dict[str, str], *, may_open: bool, consent=None) -> StatusAnswer:
    return StatusAnswer(
        notice=REDISCLOSURE_NOTICE if consent else None,
        consent_scope=consent_scope(consent) if consent else None,
        active=True,
        name=case.person.display_name,
        date_of_birth=case.person.date_of_birth,
        status_label=labels[case.status],
        opened_at=case.opened_at,
        intake_completed_at=case.intake_completed_at,
        status_changed_at=case.status_changed_at,
        case_id=case.pk if may_open else None,
    )


@dataclass
class LinkRow:
    link: PersonLink
    name: str  # the other record's name: the viewer may see it, it is in their scope or linked to it
    case_id: int | None  # the other record's latest case, when the viewer may open it


@dataclass
class ProfileView:
    case: Case
    person: Person
    aliases: list
    history: list
    may_change: bool
    links: list = field(default_factory=list)  # LinkRow, current
    splits: list = field(default_factory=list)  # LinkRow, ended: kept so the pair is not relinked by mistake


def profile_get(actor: Actor, case_id: int) -> ProfileView:
    """A participant's profile and its history of changes, for the case team (and the program's
    project managers, read only); officers, prosecutors and evaluators get 404. Audited."""
    scope = actor.scope(Category.IDENTITY)
    with trusted("people.profile_get"):
        case = None
        if scope >= Scope.OWN and actor.has(Category.CASE_RECORD, Scope.OWN):
            cases = Case.objects.filter(program_id=actor.program_id)
            if scope == Scope.OWN:
                cases = cases.filter(case_manager_id=actor.user_id)
            case = cases.select_related("person").filter(pk=case_id).first()
        if case is None:
            audit_record(
                actor=actor,
                action=Action.READ,
                object_type="Person",
                object_id=f"case:{case_id}",
                outcome=AuditEntry.Outcome.NOT_FOUND,
            )
            raise Http404("Not found")
        person = case.person
        aliases = list(person.aliases.order_by("last_name", "first_name"))
        history = list(person.profile_changes.select_related("by")[:50])
        rows = _link_rows(actor, person, scope)
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Person",
        object_id=person.pk,
        detail={"view": "profile", "linked": [r.link.pk for r in rows]},
    )
    return ProfileView(
        case,
        person,
        aliases,
        history,
        case_team_scope(actor) >= Scope.OWN,
        links=[r for r in rows if r.link.split_at is None],
        splits=[r for r in rows if r.link.split_at is not None],
    )


def _link_rows(actor: Actor, person: Person, scope: Scope) -> list[LinkRow]:
    links = list(
        PersonLink.objects.filter(program_id=actor.program_id)
        .filter(Q(person=person) | Q(other=person))
        .select_related("person", "other", "linked_by", "split_by")
    )
    others = {link.other_id if link.person_id == person.pk else link.person_id for link in links}
    cases = Case.objects.filter(program_id=actor.program_id, person_id__in=others).order_by("opened_at")
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    latest = {c.person_id: c.pk for c in cases}
    rows = []
    for link in links:
        other = link.other if link.person_id == person.pk else link.person
        rows.append(LinkRow(link, other.display_name, latest.get(other.pk)))
    return rows


# Suggested links: pairs an import found may be one person, for the case team to confirm or dismiss.
SUGGESTIONS_SHOWN = 100  # oldest first; the page counts the rest


def link_pairs_known(actor: Actor, person_ids: set[int]) -> set[tuple[int, int]]:
    """The (lower, higher) pairs among these people that were suggested before (whatever was decided)
    or linked (split or not): never to be suggested again. Callers are inside trusted()."""
    ids = list(person_ids)
    pairs = set()
    for model in (LinkSuggestion, PersonLink):
        pairs |= set(
            model.objects.filter(
                program_id=actor.program_id, person_id__in=ids, other_id__in=ids
            ).values_list("person_id", "other_id")
        )
    return pairs


def _suggestions_in_scope(actor: Actor) -> QuerySet[LinkSuggestion]:
    """The program's suggestions for a supervisor; for a case manager, those whose two records both have
    a case on their caseload (as linking asks of both cases). Callers check the case team first."""
    suggestions = LinkSuggestion.objects.filter(program_id=actor.program_id)
    if case_team_scope(actor) == Scope.OWN:
        mine = Case.objects.filter(program_id=actor.program_id, case_manager_id=actor.user_id)
        suggestions = suggestions.filter(
            Exists(mine.filter(person_id=OuterRef("person_id"))),
            Exists(mine.filter(person_id=OuterRef("other_id"))),
        )
    return suggestions


@dataclass(frozen=True)
class SuggestionAccess:
    """A suggested link and what the actor may do with it."""

    suggestion: LinkSuggestion
    may_decide: bool  # still waiting: confirm or dismiss


def suggestion_for(actor: Actor, suggestion_id: int, *, lock: bool = False) -> SuggestionAccess:
    """The suggestion, if the actor's case team covers both its records; else 404, audited. `lock`
    takes the row for update (inside an action). Call inside trusted()."""
    suggestion = None
    if case_team_scope(actor) >= Scope.OWN:
        suggestions = _suggestions_in_scope(actor)
        if lock:
            suggestions = suggestions.select_for_update(of=("self",))
        suggestion = suggestions.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise audited_not_found(actor, "LinkSuggestion", suggestion_id)
    return SuggestionAccess(suggestion, may_decide=suggestion.state == LinkSuggestion.State.SUGGESTED)


def link_suggestions_waiting(actor: Actor) -> int:
    """How many suggestions wait for the actor's case team (0 for every other role): a count, no names."""
    if case_team_scope(actor) < Scope.OWN:
        return 0
    with trusted("people.link_suggestions_waiting"):
        return _suggestions_in_scope(actor).filter(state=LinkSuggestion.State.SUGGESTED).count()


@dataclass
class RecordSide:
    """One of the two records, with the minimum needed to decide: names, date of birth, the cases."""

    person: Person
    aliases: list[str]
    cases: list[Case]  # the ones the actor may open, oldest first


@dataclass
class SuggestionRow:
    suggestion: LinkSuggestion
    one: RecordSide
    other: RecordSide

    @property
    def sides(self) -> tuple[RecordSide, RecordSide]:
        return (self.one, self.other)


@dataclass
class SuggestionsView:
    rows: list[SuggestionRow]
    waiting: int  # every suggestion waiting for the actor, shown or not


def link_suggestions_for(actor: Actor) -> SuggestionsView:
    """The suggestions waiting for the actor's case team, oldest first, each with both records side by
    side; 404 (audited) to roles outside the case team. One audit entry names the suggestions and people
    shown; the queries are the same however many there are."""
    if case_team_scope(actor) < Scope.OWN:
        raise audited_not_found(actor, "LinkSuggestion", "")
    with trusted("people.link_suggestions_for"):
        waiting = _suggestions_in_scope(actor).filter(state=LinkSuggestion.State.SUGGESTED)
        count = waiting.count()
        suggestions = list(waiting.select_related("person", "other", "suggested_by")[:SUGGESTIONS_SHOWN])
        ids = {s.person_id for s in suggestions} | {s.other_id for s in suggestions}
        aliases: dict[int, list[str]] = {}
        for alias in Alias.objects.filter(program_id=actor.program_id, person_id__in=ids).order_by(
            "last_name", "first_name"
        ):
            aliases.setdefault(alias.person_id, []).append(str(alias))
        cases = Case.objects.filter(program_id=actor.program_id, person_id__in=ids)
        if case_team_scope(actor) == Scope.OWN:
            cases = cases.filter(case_manager_id=actor.user_id)
        by_person: dict[int, list[Case]] = {}
        for case in cases.select_related("case_manager").order_by("opened_at", "pk"):
            by_person.setdefault(case.person_id, []).append(case)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="LinkSuggestion",
        detail={"view": "link_suggestions", "ids": [s.pk for s in suggestions], "people": sorted(ids)},
    )

    def side(person: Person) -> RecordSide:
        return RecordSide(person, aliases.get(person.pk, []), by_person.get(person.pk, []))

    rows = [SuggestionRow(s, side(s.person), side(s.other)) for s in suggestions]
    return SuggestionsView(rows, count)
