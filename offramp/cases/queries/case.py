"""One case: its page (status history, recent contacts), its plan, its brief."""

from dataclasses import dataclass

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Contact, Goal, Plan
from offramp.cases.queries.scope import case_for, case_or_404


def case_get(actor: Actor, case_id: int) -> Case:
    """One case with its person and status history, or 404. Both outcomes are audited."""
    with trusted("cases.case_get"):
        case = case_for(
            actor, case_id, related=("person", "case_manager", "referral"), refused_as=("Case", case_id)
        ).case
        case.history = list(case.status_history.select_related("by"))
        contacts = case.contacts.select_related("by").order_by("-at", "-id")
        if not actor.has(Category.NOTES, Scope.OWN):
            contacts = contacts.defer("note")  # never even decrypted for a role that may not read notes
        case.recent_contacts = list(contacts[:RECENT_CONTACTS])
    for contact in case.recent_contacts:
        contact.visible_note = _visible_note(actor, contact)
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Case",
        object_id=case.pk,
        detail={"notes_shown": [c.pk for c in case.recent_contacts if c.visible_note]},
    )
    return case


RECENT_CONTACTS = 10


def _visible_note(actor: Actor, contact: Contact) -> str:
    """The note if the actor's role may read it: narrative notes, and Part 2 content only with Part 2.

    The case itself is already within the actor's scope, so `own` is enough here.
    """
    if not actor.has(Category.NOTES, Scope.OWN):
        return ""
    if contact.part2 and not actor.has(Category.PART2, Scope.OWN):
        return ""
    return contact.note


@dataclass
class PlanView:
    case: Case
    plan: Plan | None
    goals: list  # goals the actor may read, each with `.step_list`
    withheld: int  # substance-use goals hidden from a role without Part 2


def plan_get(actor: Actor, case_id: int) -> PlanView:
    """A case's Individual Intervention Plan: goals and steps. Substance-use goals need Part 2."""
    with trusted("cases.plan_get"):
        case = case_or_404(actor, case_id, "Plan")
        plan = Plan.objects.filter(case=case).select_related("agreement_recorded_by").first()
        goals = list(plan.goals.prefetch_related("steps")) if plan else []
    readable = [g for g in goals if g.area != Goal.Area.SUBSTANCE_USE or actor.has(Category.PART2, Scope.OWN)]
    for goal in readable:
        goal.step_list = list(goal.steps.all())
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="Plan",
        object_id=plan.pk if plan else f"case:{case.pk}",
        detail={"case": case.pk, "goals": [g.pk for g in readable]},
    )
    return PlanView(case=case, plan=plan, goals=readable, withheld=len(goals) - len(readable))


def case_brief(actor: Actor, case_id: int) -> Case:
    """A case's person and status, for a page about one part of it (a new assessment): audited."""
    with trusted("cases.case_brief"):
        case = case_or_404(actor, case_id, "Case")
    audit_record(
        actor=actor, action=Action.READ, object_type="Case", object_id=case.pk, detail={"brief": True}
    )
    return case
