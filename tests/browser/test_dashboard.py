"""A supervisor opens the program dashboard from the navigation, filters it and prints it; axe-checked."""

import re

import pytest

from offramp.access.roles import Role
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD
from tests.reports import dashboard_data

pytestmark = pytest.mark.browser


def test_supervisor_reads_and_filters_the_dashboard(browser_world, page):
    world = browser_world
    dashboard_data.build(world)
    sign_in(page, world.users[Role.CASE_SUPERVISOR].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Program dashboard"))
    assert heading(page) == "Program dashboard"
    page.get_by_label("From (month)").fill("2025-01")
    page.get_by_label("To (month)").fill("2025-03")
    page.get_by_label("Door", exact=True).select_option("arrest")
    submit(page, page.get_by_role("button", name="Show"))
    assert "door=arrest" in page.url
    # Charts are images named by their titles, each beside a table of the same figures.
    assert page.get_by_role("img", name=re.compile("^Referrals per month by door")).is_visible()
    assert page.get_by_role("table", name=re.compile("^Referrals per month and door")).is_visible()
    # Three arrest referrals in the period: a small cell at the default threshold of 11.
    row = page.get_by_role("row", name=re.compile("^Whole period"))
    assert row.get_by_role("cell").first.inner_text() == "<11"
    # Every figure links to how it is computed.
    page.get_by_role("link", name="how hand-offs requested is computed").click()
    assert page.url.endswith("#how-handoffs")
    page.emulate_media(media="print")
    assert page.locator("form.filters").is_hidden()
    assert page.get_by_role("heading", name="How each figure is computed").is_visible()


def test_an_officer_finds_no_dashboard(browser_world, page):
    sign_in(page, browser_world.users[Role.OFFICER].username, PASSWORD)
    response = visit(page, "/program/dashboard/")
    assert response.status == 404
