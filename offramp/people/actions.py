"""Changes to a person by the case team: their profile (one transaction, one history row, one audit entry),
links of two records that are one person and their splits, and the suggested links an import leaves for
review (recorded, then confirmed into a link or dismissed)."""

import datetime as dt
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope, case_team_scope
from offramp.access.scope import Actor, acting, action
from offramp.cases.models import Case
from offramp.people import hmis
from offramp.people.models import Alias, LinkSuggestion, Person, PersonLink, ProfileChange
from offramp.people.queries import link_pairs_known, suggestion_for

SEALED = {"whereabouts"}  # recorded as changed, never with their words
RACE_FIELDS = tuple(hmis.RACE_FIELDS)
_TEXT = (models.CharField, models.TextField)


def team_case(actor: Actor, case_id: int, *, lock: bool = False) -> Case:
    """The case, if the actor is on its case team (own caseload or, for supervisors, the program); else 404.
    Callers are inside trusted()."""
    scope = case_team_scope(actor)
    if scope < Scope.OWN:
        raise Http404("Not found")
    cases = Case.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    case = cases.select_related("person").filter(pk=case_id).first()
    if case is None:
        raise Http404("Not found")
    if lock:
        Person.objects.select_for_update().filter(pk=case.person_id).first()
    return case


def _shown(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def person_profile_change(
    *,
    actor: Actor,
    case_id: int,
    values: dict,
    races: list[str],
    aliases: list[tuple[str, str]],
    now: dt.datetime | None = None,
) -> ProfileChange | None:
    """Record the profile as the case team gives it; None when nothing changed.

    `values` holds the person's own fields (forms.PROFILE_FIELDS), `races` the race and ethnicity
    fields that apply, `aliases` every other name (replacing those recorded).
    """
    now = now or timezone.now()
    with acting("people.person_profile_change"):
        case = team_case(actor, case_id, lock=True)
        person = Person.objects.get(pk=case.person_id)
        changes = {}
        for field, value in values.items():
            value = "" if value is None and isinstance(Person._meta.get_field(field), _TEXT) else value
            before = getattr(person, field)
            if before != value:
                changes[field] = (
                    ["(sealed)", "(sealed)"] if field in SEALED else [_shown(before), _shown(value)]
                )
                setattr(person, field, value)
        for field in RACE_FIELDS:
            value = hmis.NoYes.YES if field in races else hmis.NoYes.NO
            if getattr(person, field) != value:
                changes[field] = [getattr(person, field), int(value)]
                setattr(person, field, value)
        known = sorted((a.first_name, a.last_name) for a in person.aliases.all())
        wanted = sorted(set(aliases))
        if known != wanted:
            changes["aliases"] = [[" ".join(n).strip() for n in known], [" ".join(n).strip() for n in wanted]]
            person.aliases.all().delete()
            Alias.objects.bulk_create(
                [
                    Alias(program_id=person.program_id, person=person, first_name=f, last_name=ln)
                    for f, ln in wanted
                ]
            )
        if not changes:
            return None
        person.save()
        change = ProfileChange.objects.create(
            program_id=person.program_id,
            person=person,
            at=now,
            by=actor.user if actor.user_id else None,
            changes=changes,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="Person",
            object_id=person.pk,
            detail={"fields": sorted(changes), "case": case.pk},  # names of fields, never their values
        )
    return change


ERR_LINK_REASON = "Say why these are the same person (an ID seen, a date of birth and an alias)."
ERR_SPLIT_REASON = "Say why these are two people."
ERR_LINK_SELF = "That is this record: give the case number of the other record."
ERR_LINK_UNKNOWN = (
    "No case #{case_id} on the records you may change: a supervisor can link records on other caseloads."
)
ERR_LINKED = "These records are already linked."
ERR_WAS_SPLIT = (
    "These records were split on {date} ({reason}). "
    'Tick "Link them again" if you are sure they are one person.'
)


def person_link(
    *, actor: Actor, case_id: int, other_case_id: int, reason: str, again: bool = False
) -> PersonLink:
    """Record that the people of two cases the actor may change are one person (never a merge)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_LINK_REASON})
    with acting("people.person_link"):
        case = team_case(actor, case_id)
        try:
            other = team_case(actor, other_case_id)
        except Http404:
            raise ValidationError({"other_case": ERR_LINK_UNKNOWN.format(case_id=other_case_id)}) from None
        low, high = sorted((case.person_id, other.person_id))
        if low == high:
            raise ValidationError({"other_case": ERR_LINK_SELF})
        pair = PersonLink.objects.select_for_update().filter(
            program_id=actor.program_id, person_id=low, other_id=high
        )
        if pair.filter(split_at__isnull=True).exists():
            raise ValidationError({"other_case": ERR_LINKED})
        split = pair.filter(split_at__isnull=False).order_by("-split_at").first()
        if split is not None and not again:
            raise ValidationError(
                {
                    "again": ERR_WAS_SPLIT.format(
                        date=f"{split.split_at:%b %-d, %Y}", reason=split.split_reason
                    )
                }
            )
        link = _link_make(actor, low, high, reason, after_split=split is not None)
    return link


def _link_make(actor: Actor, low: int, high: int, reason: str, *, after_split: bool) -> PersonLink:
    """Write a link of two people (lower id first) and audit it; a suggestion of the pair still waiting
    is confirmed by it. Inside the caller's transaction."""
    now = timezone.now()
    user = actor.user if actor.user_id else None
    link = PersonLink.objects.create(
        program_id=actor.program_id,
        person_id=low,
        other_id=high,
        reason=reason[:300],
        linked_at=now,
        linked_by=user,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="PersonLink",
        object_id=link.pk,
        detail={"people": [low, high], "after_split": after_split},
    )
    waiting = LinkSuggestion.objects.filter(
        program_id=actor.program_id, person_id=low, other_id=high, state=LinkSuggestion.State.SUGGESTED
    )
    for suggestion in waiting.select_for_update():
        _decide(actor, suggestion, LinkSuggestion.State.CONFIRMED, reason, link=link, now=now)
    return link


def person_split(*, actor: Actor, case_id: int, link_id: int, reason: str) -> PersonLink:
    """End a link: they are two people. The split is kept, so the pair is not linked again by mistake."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_SPLIT_REASON})
    with acting("people.person_split"):
        case = team_case(actor, case_id)
        link = (
            PersonLink.objects.select_for_update()
            .filter(program_id=actor.program_id, pk=link_id, split_at__isnull=True)
            .filter(models.Q(person_id=case.person_id) | models.Q(other_id=case.person_id))
            .first()
        )
        if link is None:
            raise Http404("Not found")
        link.split_at = timezone.now()
        link.split_by = actor.user if actor.user_id else None
        link.split_reason = reason[:300]
        link.save(update_fields=["split_at", "split_by", "split_reason"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="PersonLink",
            object_id=link.pk,
            detail={"split": True, "people": [link.person_id, link.other_id]},
        )
    return link


# Suggested links: an import's guesses, decided by the case team (offramp/bulk; the review page).
ERR_SUGGESTION_DECIDED = "This pair was already reviewed ({state})."
ERR_SUGGESTION_WAS_SPLIT = (
    "These records were linked and split on {date} ({reason}): dismiss the suggestion, or link them "
    'again from the profile with "Link them again".'
)
ERR_SUGGESTION_PEOPLE = "A suggested link names two different records of this program."


class SuggestedPair(NamedTuple):
    person_id: int
    other_id: int
    reason: str  # why they may be one person (offramp.people.names.likeness), never their names
    source: str  # what suggested it: the import, its file and line


@action("people.link_suggestions_record")
def link_suggestions_record(*, actor: Actor, pairs: list[SuggestedPair]) -> list[LinkSuggestion]:
    """Record pairs that may be one person, for review. A pair suggested before (whatever was decided)
    or linked before (split or not) is left out: a dismissed pair is never suggested again. One audit
    entry names them all. Needs identity across the program (the importer's access)."""
    actor.require(Category.IDENTITY, Scope.PROGRAM)
    ordered = {}
    for pair in pairs:
        low, high = sorted((pair.person_id, pair.other_id))
        if low == high:
            raise ValidationError(ERR_SUGGESTION_PEOPLE)
        ordered.setdefault((low, high), pair)
    ids = {pid for pair in ordered for pid in pair}
    if Person.objects.filter(program_id=actor.program_id, pk__in=ids).count() != len(ids):
        raise ValidationError(ERR_SUGGESTION_PEOPLE)
    known = link_pairs_known(actor, ids)
    now = timezone.now()
    made = LinkSuggestion.objects.bulk_create(
        [
            LinkSuggestion(
                program_id=actor.program_id,
                person_id=low,
                other_id=high,
                reason=pair.reason[:300],
                source=pair.source[:200],
                suggested_at=now,
                suggested_by=actor.user if actor.user_id else None,
            )
            for (low, high), pair in ordered.items()
            if (low, high) not in known
        ]
    )
    if made:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="LinkSuggestion",
            detail={
                "ids": [s.pk for s in made],
                "people": [[s.person_id, s.other_id] for s in made],
                "skipped_known": len(ordered) - len(made),
            },
        )
    return made


def _decide(
    actor: Actor,
    suggestion: LinkSuggestion,
    state: str,
    reason: str,
    *,
    link: PersonLink | None = None,
    now: dt.datetime | None = None,
) -> LinkSuggestion:
    suggestion.state = state
    suggestion.decided_at = now or timezone.now()
    suggestion.decided_by = actor.user if actor.user_id else None
    suggestion.decision_reason = reason[:300]
    suggestion.link = link
    suggestion.save(update_fields=["state", "decided_at", "decided_by", "decision_reason", "link"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="LinkSuggestion",
        object_id=suggestion.pk,
        detail={
            "decision": state,
            "people": [suggestion.person_id, suggestion.other_id],
            "link": link.pk if link is not None else None,
        },
    )
    return suggestion


def _waiting(actor: Actor, suggestion_id: int) -> LinkSuggestion:
    access = suggestion_for(actor, suggestion_id, lock=True)
    if not access.may_decide:
        state = access.suggestion.get_state_display().lower()
        raise ValidationError(ERR_SUGGESTION_DECIDED.format(state=state))
    return access.suggestion


@action("people.link_suggestion_confirm")
def link_suggestion_confirm(*, actor: Actor, suggestion_id: int, reason: str) -> LinkSuggestion:
    """The case team found the pair to be one person: an ordinary link (never a merge), audited, and the
    suggestion kept as confirmed. A pair linked meanwhile keeps that link; one split meanwhile is refused."""
    suggestion = _waiting(actor, suggestion_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_LINK_REASON})
    pair = PersonLink.objects.select_for_update().filter(
        program_id=actor.program_id, person_id=suggestion.person_id, other_id=suggestion.other_id
    )
    current = pair.filter(split_at__isnull=True).first()
    if current is not None:
        return _decide(actor, suggestion, LinkSuggestion.State.CONFIRMED, reason, link=current)
    split = pair.order_by("-split_at").first()
    if split is not None:
        raise ValidationError(
            ERR_SUGGESTION_WAS_SPLIT.format(date=f"{split.split_at:%b %-d, %Y}", reason=split.split_reason)
        )
    _link_make(actor, suggestion.person_id, suggestion.other_id, reason, after_split=False)
    suggestion.refresh_from_db()
    return suggestion


@action("people.link_suggestion_dismiss")
def link_suggestion_dismiss(*, actor: Actor, suggestion_id: int, reason: str) -> LinkSuggestion:
    """The case team found two people: the suggestion is kept as dismissed, so the pair is never
    suggested again; audited."""
    suggestion = _waiting(actor, suggestion_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_SPLIT_REASON})
    return _decide(actor, suggestion, LinkSuggestion.State.DISMISSED, reason)
