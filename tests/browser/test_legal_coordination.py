"""The case manager writes the statement for the liaison prosecutor; the prosecutor, under the
participant's consent, reads it and records a decision. Every page axe-checked."""

import datetime as dt

import pytest
from django.utils import timezone

from offramp.access.models import Consent
from offramp.access.policy import Category
from offramp.access.roles import Role
from offramp.access.scope import trusted
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _consent(world):
    with trusted("tests"):
        Consent.objects.create(
            program=world.program,
            person=world.own_case.person,
            recipient_class=Consent.Recipient.PROSECUTOR,
            categories=[Category.STATUS, Category.LEGAL, Category.IDENTITY],
            purpose="Legal coordination",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )


def test_case_manager_writes_the_statement(browser_world, page):
    world = browser_world
    sign_in(page, world.users[Role.CASE_MANAGER].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Legal coordination"))
    assert heading(page) == "Legal coordination"
    submit(page, page.get_by_role("link", name="Ana Lopez"))
    page.get_by_label("Statement for the liaison prosecutor", exact=False).fill("Housed; working on ID.")
    submit(page, page.get_by_role("button", name="Save the statement"))
    assert page.get_by_text("Housed; working on ID.").first.is_visible()


def test_prosecutor_reads_under_consent_and_decides(browser_world, page):
    world = browser_world
    _consent(world)
    sign_in(page, world.users[Role.PROSECUTOR].username, PASSWORD)
    visit(page, "/legal/")
    assert page.get_by_role("link", name="Ben Okoro").count() == 0  # no consent covering legal
    submit(page, page.get_by_role("link", name="Ana Lopez"))
    assert heading(page) == "Legal coordination: Ana Lopez"
    page.get_by_label("Note").fill("Charge held while intake completes.")
    page.get_by_label("Decision").select_option("hold")
    submit(page, page.get_by_role("button", name="Save the note"))
    assert page.get_by_role("strong").filter(has_text="Hold (no filing decision yet)").is_visible()
    response = visit(page, f"/legal/{world.other_case.pk}/")
    assert response.status == 404
