"""Directory services and consents for the transition tests, made as the directory import and the
consent form would (through the access layer's trusted block)."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.directory.models import Organization, Service


def make_service(program, *, name="Rapid rehousing", organization="Harbor Housing"):
    org = Organization.objects.create(program=program, hsds_id=uuid.uuid4(), name=organization)
    return Service.objects.create(
        program=program, hsds_id=uuid.uuid4(), organization_id=org.hsds_id, name=name, status="active"
    )


PROVIDER_CATEGORIES = (Category.IDENTITY, Category.CASE_RECORD)


def give_consent(case, *, recipient_name="", categories=PROVIDER_CATEGORIES, days_ago=30, **extra):
    with trusted("tests"):
        return Consent.objects.create(
            program_id=case.program_id,
            person_id=case.person_id,
            recipient_class=Consent.Recipient.PROVIDER,
            recipient_name=recipient_name,
            categories=list(categories),
            purpose="Service referrals",
            signed_at=timezone.now() - dt.timedelta(days=days_ago),
            **extra,
        )


@pytest.fixture
def service(world):
    return make_service(world.program)
