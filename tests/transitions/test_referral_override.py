"""Without consent, only a case supervisor may send a referral, with a written reason, and it is audited."""

import pytest
from django.core.exceptions import ValidationError

from offramp.access.models import AuditEntry, Disclosure
from offramp.access.scope import Actor, trusted
from offramp.programs.roles import Role
from offramp.transitions import actions
from offramp.transitions.models import ServiceReferral


def _actor(world, role):
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


def test_it_refuses_an_override_by_a_case_manager(world):
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_create(
            actor=_actor(world, Role.CASE_MANAGER),
            case_id=world.own_case.pk,
            area="housing",
            provider_name="Harbor Housing",
            refer_now=True,
            override_reason="Eviction tomorrow",
        )
    assert refused.value.messages == [actions.ERR_OVERRIDE_ROLE]
    with trusted("tests"):
        assert not ServiceReferral.objects.exists()


def test_it_refuses_an_override_without_a_reason(world):
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_create(
            actor=_actor(world, Role.CASE_SUPERVISOR),
            case_id=world.other_case.pk,
            area="housing",
            provider_name="Harbor Housing",
            refer_now=True,
            override_reason="   ",
        )
    assert refused.value.messages == [actions.ERR_NO_CONSENT.format(recipient="Harbor Housing")]


def test_it_audits_a_supervisors_override(world):
    supervisor = _actor(world, Role.CASE_SUPERVISOR)
    referral = actions.transition_referral_create(
        actor=supervisor,
        case_id=world.other_case.pk,
        area="housing",
        provider_name="Harbor Housing",
        refer_now=True,
        override_reason="Shelter bed tonight; participant unreachable to sign",
    )
    assert referral.status == "referred"
    assert referral.override_by == world.users[Role.CASE_SUPERVISOR]
    assert referral.override_reason == "Shelter bed tonight; participant unreachable to sign"
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.actor) == ("create", "ServiceReferral", supervisor.user)
    assert entry.detail["override"] is True
    assert entry.detail["override_reason"] == referral.override_reason
    with trusted("tests"):
        assert not Disclosure.objects.exists()  # the ledger needs a consent; the override is in the audit log
