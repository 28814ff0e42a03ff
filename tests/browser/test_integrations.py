"""An administrator issues an integration's token (shown once) and revokes it; a project manager reads
continuous screening. Both pages pass axe-core."""

import datetime as dt

import pytest
from django.utils import timezone

from offramp.api import scopes
from offramp.api.models import Integration
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.continuous_actions import arrests_screen
from offramp.workgroup.queries import actor_for
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_an_administrator_issues_and_revokes_a_token(browser_world, page):
    world = browser_world
    sign_in(page, world.users[Role.SYSTEM_ADMIN].username, PASSWORD)
    visit(page, "/integrations/")
    assert heading(page) == "Integrations"
    page.get_by_label("Name").fill("County RMS")
    page.get_by_label("Agency", exact=True).select_option(label="Test PD")
    page.get_by_label(f"{scopes.ARRESTS_WRITE}:", exact=False).check()
    page.get_by_label(f"{scopes.REFERRALS_WRITE}:", exact=False).check()
    submit(page, page.get_by_role("button", name="Issue the token"))
    token = page.locator("#token").inner_text()
    assert token.startswith("ofr_")
    integration = Integration.objects.get(name="County RMS")
    assert integration.token_hash != token and token not in integration.token_hash
    visit(page, "/integrations/")
    assert page.locator("#token").count() == 0  # shown once
    submit(page, page.get_by_role("button", name="Revoke County RMS"))
    integration.refresh_from_db()
    assert integration.revoked_at is not None


def test_a_project_manager_reads_continuous_screening(browser_world, page):
    world = browser_world
    protocol_publish_example(program=world.program)
    manager = world.users[Role.PROJECT_MANAGER]
    day = timezone.localdate() - dt.timedelta(days=2)
    arrests_screen(
        actor=actor_for(manager, world.program),
        arrests=[
            {"incident_number": "W-1", "statute": "RCW 69.50.4013", "incident_date": day, "race": "White"}
        ],
        source="api:test",
    )
    sign_in(page, manager.username, PASSWORD)
    visit(page, "/screening/continuous/")
    assert heading(page) == "Continuous screening"
    assert page.get_by_role("cell", name="W-1").is_visible()
    assert page.get_by_role("heading", name="Equity audit over a period").is_visible()
