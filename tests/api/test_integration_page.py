"""The administrator's integrations page: issuing refuses bad input with the reason, tokens are hashed at
rest, issuing and revoking are audited; other roles get 404."""

from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.api import actions
from offramp.api.models import Integration
from offramp.api.tokens import token_hash
from offramp.programs.models import Agency
from offramp.programs.roles import Role


def test_it_issues_a_token_shown_once_and_stores_its_hash(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    agency = Agency.objects.get(program=world.program, name="Test PD")
    response = client.post(
        reverse("api_admin:integrations"),
        {
            "name": "RMS",
            "agency": agency.pk,
            "scopes": ["referrals:write"],
            "days": 30,
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert response["Cache-Control"] == "no-store"
    integration = Integration.objects.get(name="RMS")
    assert integration.token_hash == token_hash(token) and token not in str(integration.__dict__)
    assert AuditEntry.objects.filter(action="credential", object_type="Integration").count() == 1
    assert client.get(reverse("api_admin:integrations")).context["token"] is None


def test_it_refuses_bad_input_naming_the_reason(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    response = client.post(
        reverse("api_admin:integrations"),
        {"name": "RMS", "agency": "", "scopes": ["referrals:write"], "days": 30, "rate_per_minute": 60},
    )
    assert response.status_code == 400
    assert actions.ERR_AGENCY_NEEDED in response.context["form"].non_field_errors()
    assert not Integration.objects.exists()


def test_only_administrators_open_it(world, login):
    for role in Role:
        if role == Role.SYSTEM_ADMIN:
            continue
        client = login(world.users[role])
        assert client.get(reverse("api_admin:integrations")).status_code == 404


def test_revoking_is_the_administrators_and_audited(world, login):
    admin = login(world.users[Role.SYSTEM_ADMIN])
    agency = Agency.objects.get(program=world.program, name="Test PD")
    admin.post(
        reverse("api_admin:integrations"),
        {"name": "RMS", "agency": agency.pk, "scopes": ["referrals:read"], "days": 30, "rate_per_minute": 60},
    )
    integration = Integration.objects.get(name="RMS")
    outsider = login(world.outsider)
    assert outsider.post(reverse("api_admin:revoke", args=[integration.pk])).status_code == 404
    integration.refresh_from_db()
    assert integration.revoked_at is None
    admin = login(world.users[Role.SYSTEM_ADMIN])
    assert admin.post(reverse("api_admin:revoke", args=[integration.pk])).status_code == 302
    integration.refresh_from_db()
    assert integration.revoked_at is not None
    assert AuditEntry.objects.filter(action="credential", detail__revoked="RMS").exists()
