"""Putting a case on a case manager's caseload, within the program's limits."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from offramp.access.audit import Action, audit_record
from offramp.access.policy import may_assign
from offramp.access.scope import Actor, action
from offramp.cases.actions.common import case_for_update
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.notifications.actions import notification_send
from offramp.notifications.models import Notification
from offramp.programs.queries import active_case_manager

ERR_OVER_HARD_LIMIT = "{name} already has {count} open cases: the program's limit is {limit}."
WARN_OVER_SOFT_LIMIT = (
    "{name} would have {count} open cases, above the program's guide of {limit}. Assign anyway to confirm."
)
ERR_SAME_MANAGER = "This case is already on that caseload."


class OverSoftLimit(ValidationError):
    """The assignment would take a caseload past the soft limit: allowed only when confirmed."""


@action("cases.case_assign")
def case_assign(*, actor: Actor, case_id: int, case_manager_id: int, confirm: bool = False) -> Case:
    """A supervisor puts a case on a case manager's caseload (or moves it to another).

    A caseload may hold up to the program's hard limit (default 25) of open cases; past the soft
    limit (default 20) the supervisor is warned and must confirm.
    """
    if not may_assign(actor):
        raise Http404("Not found")
    manager = active_case_manager(program_id=actor.program_id, user_id=case_manager_id)
    program = actor.program
    soft, hard = int(program.setting("caseload_soft_limit")), int(program.setting("caseload_hard_limit"))
    name = manager.get_full_name() or manager.get_username()
    case = case_for_update(actor, case_id)
    if case.case_manager_id == manager.pk:
        raise ValidationError(ERR_SAME_MANAGER)
    # Lock the receiving caseload's rows so two assignments cannot both squeeze under the limit.
    load = len(
        Case.objects.select_for_update()
        .filter(program_id=actor.program_id, case_manager_id=manager.pk, status__in=OPEN_STATUSES)
        .values_list("pk", flat=True)
    )
    after = load + (1 if case.status in OPEN_STATUSES else 0)
    if after > hard:
        raise ValidationError(ERR_OVER_HARD_LIMIT.format(name=name, count=load, limit=hard))
    if after > soft and not confirm:
        raise OverSoftLimit(WARN_OVER_SOFT_LIMIT.format(name=name, count=after, limit=soft))
    previous = case.case_manager_id
    case.case_manager_id = manager.pk
    case.save(update_fields=["case_manager"])
    _handoff_follows(case, manager)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="Case",
        object_id=case.pk,
        detail={
            "case_manager": manager.pk,
            "previous": previous,
            "open_after": after,
            "over_soft_limit": after > soft,
        },
    )
    _tell_new_manager(actor, case, manager)
    return case


def _handoff_follows(case: Case, manager) -> None:
    """A hand-off nobody has answered yet moves with the case: the new case manager's clock shows it."""
    referral = case.referral
    if referral is not None and referral.handoff_requested_at and referral.handoff_arrived_at is None:
        referral.handoff_to = manager
        referral.save(update_fields=["handoff_to"])


def _tell_new_manager(actor: Actor, case: Case, manager) -> None:
    """The new case manager hears at once: their inbox, their day page and an email with a link."""
    referral = case.referral
    waiting = (
        referral is not None and referral.handoff_to_id == manager.pk and referral.handoff_arrived_at is None
    )
    notification_send(
        actor=actor,
        recipient=manager,
        kind=Notification.Kind.CASE_ASSIGNED,
        title=f"Case assigned to you: {case.person.display_name}",
        body="A warm hand-off is waiting for you." if waiting else "The case is now on your caseload.",
        email_body="A case was assigned to you in offramp"
        + (", and its warm hand-off is waiting: please go now." if waiting else "."),
        url=reverse("referrals:arrival", args=[case.referral_id])
        if waiting
        else reverse("cases:detail", args=[case.pk]),
    )
