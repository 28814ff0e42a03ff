"""Integrations for the API tests: tokens issued through the administrator's action, as on the page."""

import pytest

from offramp.api import scopes
from offramp.api.actions import integration_issue
from offramp.programs.models import Agency
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.workgroup.queries import actor_for


@pytest.fixture
def issue(world):
    """issue(*scopes, program=None, name=...) -> token, for an integration of the police agency."""
    made = []

    def _issue(*wanted, program=None, name=None, rate=1000, days=30):
        program = program or world.program
        admin = world.users[Role.SYSTEM_ADMIN] if program == world.program else world.outsider
        agency, _ = Agency.objects.get_or_create(
            program=program, name="Test PD", defaults={"kind": Agency.Kind.POLICE}
        )
        _integration, token = integration_issue(
            actor=actor_for(admin, program),
            name=name or f"rms-{len(made)}",
            scopes=list(wanted or scopes.ALL),
            days=days,
            agency_id=agency.pk,
            rate_per_minute=rate,
        )
        made.append(token)
        return token

    return _issue


@pytest.fixture
def protocol(world):
    protocol_publish_example(program=world.program)
    protocol_publish_example(program=world.other_program)


@pytest.fixture
def call(client):
    """call(method, path, token, json=None, **headers) -> response, with the token as a bearer."""

    def _call(method, path, token=None, json=None, **headers):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        kwargs = {"content_type": "application/json", "data": json} if json is not None else {}
        return getattr(client, method)(f"/api/v1/{path}", **kwargs, **extra)

    return _call
