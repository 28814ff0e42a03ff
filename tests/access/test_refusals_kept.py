"""A read refused inside an action is in the audit log even though the action's transaction, which
wrote that entry, rolls back with the refusal."""

import pytest
from django.http import Http404

from offramp.access.audit import audited_not_found
from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, action
from offramp.programs.models import Agency
from offramp.programs.roles import Role
from offramp.workgroup.actions import item_discuss
from tests.conftest import build_world


def refusals(object_type: str, object_id: object) -> int:
    return AuditEntry.objects.filter(
        object_type=object_type, object_id=str(object_id), outcome=AuditEntry.Outcome.NOT_FOUND
    ).count()


@action("tests.refuse_after_a_write")
def refuse_after_a_write(*, actor: Actor) -> None:
    Agency.objects.create(program=actor.program, name="Half-written", kind=Agency.Kind.POLICE)
    raise audited_not_found(actor, "Case", 987654)


@pytest.mark.django_db(transaction=True)
def test_the_refusal_stays_while_the_actions_own_writes_roll_back():
    world = build_world()
    actor = Actor.member_of(world.users[Role.CASE_MANAGER], world.program)
    with pytest.raises(Http404):
        refuse_after_a_write(actor=actor)
    assert not Agency.objects.filter(name="Half-written").exists()
    assert refusals("Case", 987654) == 1


@action("tests.outer")
def outer(*, actor: Actor) -> None:
    refuse_after_a_write(actor=actor)


@pytest.mark.django_db(transaction=True)
def test_an_action_inside_another_is_recorded_once_when_the_outer_one_ends():
    world = build_world()
    actor = Actor.member_of(world.users[Role.CASE_MANAGER], world.program)
    with pytest.raises(Http404):
        outer(actor=actor)
    assert refusals("Case", 987654) == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_action_keeps_its_refusal():
    world = build_world()
    actor = Actor.member_of(world.users[Role.PROJECT_MANAGER], world.program)
    with pytest.raises(Http404):
        item_discuss(actor=actor, item_id=424242, discussion="Housing first")
    assert refusals("AgendaItem", 424242) == 1
