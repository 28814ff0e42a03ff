"""A case moves to another case manager once a supervisor completes the transfer; no consent in the team."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from offramp.access.models import Disclosure
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case
from offramp.programs.queries import ERR_NOT_A_CASE_MANAGER
from offramp.programs.roles import Role
from offramp.transitions import actions


def _actor(world, role):
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


def _manager_of(case):
    with trusted("tests"):
        return Case.objects.get(pk=case.pk).case_manager_id


def test_it_transfers_a_case_when_a_supervisor_completes_it(world):
    second = world.other_case.case_manager
    transfer = actions.transition_transfer_request(
        actor=_actor(world, Role.CASE_MANAGER),
        case_id=world.own_case.pk,
        to_manager_id=second.pk,
        reason="Moving to the night shift",
    )
    assert transfer.status == "requested" and _manager_of(world.own_case) == world.users[Role.CASE_MANAGER].pk
    with pytest.raises(ValidationError) as refused:
        actions.transition_transfer_request(
            actor=_actor(world, Role.CASE_MANAGER),
            case_id=world.own_case.pk,
            to_manager_id=second.pk,
            reason="Again",
        )
    assert refused.value.messages == [actions.ERR_TRANSFER_OPEN]
    with pytest.raises(Http404):  # a case manager cannot decide their own request
        actions.transition_transfer_decide(
            actor=_actor(world, Role.CASE_MANAGER), transfer_id=transfer.pk, accept=True
        )
    done = actions.transition_transfer_decide(
        actor=_actor(world, Role.CASE_SUPERVISOR), transfer_id=transfer.pk, accept=True
    )
    assert done.status == "completed" and _manager_of(world.own_case) == second.pk
    with trusted("tests"):
        assert not Disclosure.objects.exists()  # inside the case team: nothing was disclosed


def test_it_declines_a_transfer_with_a_reason(world):
    second = world.other_case.case_manager
    transfer = actions.transition_transfer_request(
        actor=_actor(world, Role.CASE_SUPERVISOR),
        case_id=world.own_case.pk,
        to_manager_id=second.pk,
        reason="Balance caseloads",
    )
    with pytest.raises(ValidationError):
        actions.transition_transfer_decide(
            actor=_actor(world, Role.CASE_SUPERVISOR), transfer_id=transfer.pk, accept=False
        )
    declined = actions.transition_transfer_decide(
        actor=_actor(world, Role.CASE_SUPERVISOR),
        transfer_id=transfer.pk,
        accept=False,
        reason="Full caseload",
    )
    assert declined.status == "declined" and _manager_of(world.own_case) == world.users[Role.CASE_MANAGER].pk


def test_it_refuses_a_transfer_to_someone_who_is_not_a_case_manager(world):
    with pytest.raises(ValidationError) as refused:
        actions.transition_transfer_request(
            actor=_actor(world, Role.CASE_MANAGER),
            case_id=world.own_case.pk,
            to_manager_id=world.users[Role.OFFICER].pk,
            reason="x",
        )
    assert refused.value.messages == [ERR_NOT_A_CASE_MANAGER]
    with pytest.raises(Http404):  # another case manager's case
        actions.transition_transfer_request(
            actor=_actor(world, Role.CASE_MANAGER),
            case_id=world.other_case.pk,
            to_manager_id=world.users[Role.CASE_MANAGER].pk,
            reason="x",
        )
