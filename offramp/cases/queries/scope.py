"""The cases an actor may read, and the one getter for a case: the case and what the actor may do."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from offramp.access.audit import audited_not_found
from offramp.access.policy import Category, Scope, case_team_scope, may_assign
from offramp.access.scope import Actor
from offramp.cases.models import Case


def cases_in_scope(actor: Actor, category: str = Category.CASE_RECORD) -> QuerySet[Case]:
    scope = actor.require(category, Scope.OWN)
    cases = Case.objects.filter(program_id=actor.program_id)
    if scope == Scope.OWN:
        cases = cases.filter(case_manager_id=actor.user_id)
    return cases


@dataclass(frozen=True)
class CaseAccess:
    """A case and what the actor may do with it, so views ask instead of recomputing the policy."""

    case: Case
    may_change: bool  # on its case team: their own caseload, or anywhere for a supervisor
    may_assign: bool  # may put it on a case manager's caseload


def case_for(
    actor: Actor,
    case_id: int,
    *,
    lock: bool = False,
    change: bool = False,
    related: tuple[str, ...] = ("person",),
    refused_as: tuple[str, object] | None = None,
    detail: dict | None = None,
) -> CaseAccess:
    """The case if the actor may read it (with `change`, work on it as its case team), else 404.

    `lock` takes the row for update (inside an action's transaction). When `refused_as` names what was
    asked for, as (object type, object id), a refusal is audited; a role that may not read cases at all
    gets its 404 from `actor.require`. Call inside trusted().
    """
    scope = case_team_scope(actor) if change else actor.require(Category.CASE_RECORD, Scope.OWN)
    case = None
    if scope >= Scope.OWN:
        cases = Case.objects.filter(program_id=actor.program_id)
        if scope == Scope.OWN:
            cases = cases.filter(case_manager_id=actor.user_id)
        if lock:
            cases = cases.select_for_update(of=("self",))
        if related:  # select_related() with no names would follow every relation
            cases = cases.select_related(*related)
        case = cases.filter(pk=case_id).first()
    if case is None:
        if refused_as is None:
            raise Http404("Not found")
        raise audited_not_found(actor, *refused_as, detail=detail)
    team = case_team_scope(actor)
    mine = case.case_manager_id == actor.user_id
    access = CaseAccess(
        case=case,
        may_change=team == Scope.PROGRAM or (team == Scope.OWN and mine),
        may_assign=may_assign(actor),
    )
    case.access = access  # pages read it from the case they were given
    return access


def require_case_team(actor: Actor) -> None:
    """404 unless the actor is on a case team (a case manager, or a supervisor): before any case is read."""
    if case_team_scope(actor) < Scope.OWN:
        raise Http404("Not found")


def require_assigner(actor: Actor) -> None:
    """404 unless the actor may put cases on caseloads (a supervisor)."""
    if not may_assign(actor):
        raise Http404("Not found")


def part2_visible(actor: Actor) -> bool:
    """Whether the actor's roles read 42 CFR Part 2 information on the cases they see."""
    return actor.has(Category.PART2, Scope.OWN)


def identity_visible(actor: Actor) -> bool:
    """Whether the actor's roles read the identity details of the participants on their cases."""
    return actor.has(Category.IDENTITY, Scope.OWN)


def case_or_404(actor: Actor, case_id: int, object_type: str, related: tuple[str, ...] = ("person",)) -> Case:
    """The case in the actor's scope, or 404 with the refusal audited (inside a trusted block)."""
    return case_for(actor, case_id, related=related, refused_as=(object_type, f"case:{case_id}")).case
