"""A project manager opens the funder's quarterly measures from the navigation, picks a quarter, reads
the suppressed cells and the measures offramp does not hold, and prints the page; axe-checked."""

import re

import pytest

from offramp.access.roles import Role
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD
from tests.reports import dashboard_data

pytestmark = pytest.mark.browser


def test_project_manager_reads_a_quarter_of_measures(browser_world, page):
    world = browser_world
    dashboard_data.build(world)
    sign_in(page, world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    submit(page, nav.get_by_role("link", name="Funder's quarterly measures"))
    assert heading(page) == "Funder's quarterly measures"
    page.get_by_label("Quarter (YYYY-QN)").fill("2025-Q1")
    submit(page, page.get_by_role("button", name="Show"))
    assert "quarter=2025-Q1" in page.url
    table = page.get_by_role("table", name="Performance measures, 2025-Q1")
    # Three arrest referrals in the quarter: a small cell at the default threshold of 11.
    assert table.get_by_role("row", name=re.compile("^D5 ")).get_by_role("cell").nth(1).inner_text() == "<11"
    assert (
        table.get_by_role("row", name=re.compile("^D21 ")).get_by_role("cell").nth(1).inner_text()
        == "not held"
    )
    assert page.get_by_role("link", name="Download the measures as CSV").is_visible()
    page.emulate_media(media="print")
    assert page.locator("form.filters").is_hidden()
    assert table.is_visible()


def test_an_officer_finds_no_funder_report(browser_world, page):
    sign_in(page, browser_world.users[Role.OFFICER].username, PASSWORD)
    assert visit(page, "/program/funder/").status == 404
