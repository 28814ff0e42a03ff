"""A referral reaches its provider only with consent for that provider, and goes in the ledger."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from offramp.access.models import AuditEntry, Disclosure
from offramp.access.policy import Category
from offramp.access.scope import Actor, trusted
from offramp.programs.roles import Role
from offramp.transitions import actions
from offramp.transitions.models import ServiceReferral
from tests.transitions.conftest import give_consent


def manager(world):
    return Actor(
        user=world.users[Role.CASE_MANAGER], program=world.program, roles=frozenset({Role.CASE_MANAGER})
    )


def _counts():
    with trusted("tests"):
        return ServiceReferral.objects.count(), Disclosure.objects.count()


def test_it_refuses_to_send_without_consent_and_changes_nothing(world, service):
    with pytest.raises(ValidationError) as refused:
        actions.transition_referral_create(
            actor=manager(world),
            case_id=world.own_case.pk,
            area="housing",
            service_hsds_id=str(service.hsds_id),
            refer_now=True,
        )
    assert refused.value.messages == [actions.ERR_NO_CONSENT.format(recipient="Harbor Housing")]
    assert _counts() == (0, 0)
    denied = AuditEntry.objects.order_by("-id").first()
    assert (denied.action, denied.outcome, denied.detail["refused"]) == ("disclose", "denied", "no_consent")


def test_it_sends_with_consent_and_writes_the_ledger(world, service):
    consent = give_consent(world.own_case, recipient_name="harbor housing")
    referral = actions.transition_referral_create(
        actor=manager(world),
        case_id=world.own_case.pk,
        area="housing",
        service_hsds_id=str(service.hsds_id),
        refer_now=True,
    )
    assert referral.status == "referred"
    with trusted("tests"):
        disclosure = Disclosure.objects.get()
    assert (disclosure.consent_id, disclosure.person_id) == (consent.pk, world.own_case.person_id)
    assert referral.disclosure_id == disclosure.pk
    assert disclosure.categories == [Category.IDENTITY, Category.CASE_RECORD]


def test_it_refuses_a_consent_that_names_another_provider(world, service):
    give_consent(world.own_case, recipient_name="Some Other Clinic")
    with pytest.raises(ValidationError):
        actions.transition_referral_create(
            actor=manager(world),
            case_id=world.own_case.pk,
            area="housing",
            service_hsds_id=str(service.hsds_id),
            refer_now=True,
        )
    assert _counts() == (0, 0)


def test_it_refuses_a_revoked_consent(world, service):
    give_consent(world.own_case, revoked_at=timezone.now())
    with pytest.raises(ValidationError):
        actions.transition_referral_create(
            actor=manager(world),
            case_id=world.own_case.pk,
            area="housing",
            provider_name="Harbor Housing",
            refer_now=True,
        )
    assert _counts() == (0, 0)


def test_it_needs_part2_consent_for_a_substance_use_referral(world):
    give_consent(world.own_case)  # identity and case record, but not substance use
    with pytest.raises(ValidationError):
        actions.transition_referral_create(
            actor=manager(world),
            case_id=world.own_case.pk,
            area="substance_use",
            provider_name="Detox",
            refer_now=True,
        )
    give_consent(world.own_case, categories=[Category.IDENTITY, Category.CASE_RECORD, Category.PART2])
    referral = actions.transition_referral_create(
        actor=manager(world),
        case_id=world.own_case.pk,
        area="substance_use",
        provider_name="Detox",
        refer_now=True,
    )
    assert referral.status == "referred"


def test_it_proposes_without_consent_and_checks_when_sending(world):
    referral = actions.transition_referral_create(
        actor=manager(world), case_id=world.own_case.pk, area="income", provider_name="Benefits office"
    )
    assert referral.status == "proposed" and _counts() == (1, 0)
    with pytest.raises(ValidationError):
        actions.transition_referral_update(
            actor=manager(world), referral_id=referral.pk, to_status="referred"
        )
    give_consent(world.own_case)
    moved = actions.transition_referral_update(
        actor=manager(world), referral_id=referral.pk, to_status="referred"
    )
    assert moved.status == "referred" and _counts() == (1, 1)
