"""Changes to a program's on-call rota: case supervisors add and remove shifts. Each is audited."""

from django.core.exceptions import ValidationError
from django.http import Http404

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.rows import program_row
from offramp.access.scope import Actor, action
from offramp.programs.models import OnCallShift
from offramp.programs.queries import routable_case_managers
from offramp.programs.roles import Role

ERR_WHO = "Choose a case manager of this program who can sign in: a hand-off to anyone else reaches no one."
ERR_WEEKDAY = "Choose the weekday of the shift."
ERR_HOURS = "Hours run from 0 to 24: the start from 0 to 23, the end from 1 to 24."
ERR_SAME_HOURS = "The shift starts and ends at the same hour; a whole day is 0 to 24."


# Who takes the hand-offs is the supervisors' daily call and the project manager's program setting.
ROTA_EDITORS = frozenset({Role.CASE_SUPERVISOR, Role.PROJECT_MANAGER})


def may_edit_rota(actor: Actor) -> bool:
    return bool(actor.roles & ROTA_EDITORS) and actor.has(Category.CASE_RECORD, Scope.PROGRAM)


@action("cases.oncall_shift_add")
def oncall_shift_add(
    *,
    actor: Actor,
    user_id: int,
    weekday: int | None,
    start_hour: int = 0,
    end_hour: int = 24,
    fallback: bool = False,
) -> OnCallShift:
    """Put a case manager on the rota for hours of a weekday, or as a fallback. Bad input changes nothing."""
    if not may_edit_rota(actor):
        raise Http404("Not found")
    if user_id not in routable_case_managers(actor.program_id):
        raise ValidationError({"user_id": ERR_WHO})
    if fallback:
        weekday, start_hour, end_hour = None, 0, 24
    elif weekday is None or not 0 <= weekday <= 6:
        raise ValidationError({"weekday": ERR_WEEKDAY})
    if not (0 <= start_hour <= 23 and 1 <= end_hour <= 24):
        raise ValidationError({"start_hour": ERR_HOURS})
    if start_hour == end_hour:
        raise ValidationError({"end_hour": ERR_SAME_HOURS})
    shift = OnCallShift.objects.create(
        program_id=actor.program_id,
        user_id=user_id,
        weekday=weekday,
        start_hour=start_hour,
        end_hour=end_hour,
        fallback=fallback,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="OnCallShift",
        object_id=shift.pk,
        detail={
            "user": user_id,
            "weekday": weekday,
            "hours": [start_hour, end_hour],
            "fallback": fallback,
        },
    )
    return shift


@action("cases.oncall_shift_remove")
def oncall_shift_remove(*, actor: Actor, shift_id: int) -> None:
    if not may_edit_rota(actor):
        raise Http404("Not found")
    shift = program_row(actor, OnCallShift, shift_id)
    detail = {"user": shift.user_id, "weekday": shift.weekday, "fallback": shift.fallback}
    shift.delete()
    audit_record(
        actor=actor, action=Action.DELETE, object_type="OnCallShift", object_id=shift_id, detail=detail
    )
