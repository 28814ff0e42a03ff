"""A case manager finds a service on a phone-sized page; a project manager opens the directory's page."""

import pytest

from offramp.directory.synthetic import directory_demo_load
from offramp.programs.roles import Role
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_case_manager_searches_by_need_and_language(browser_world, page):
    directory_demo_load(browser_world.program)
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, "/directory/")
    assert heading(page) == "Find a service"
    page.get_by_label("Need").select_option(label="Emergency shelter")
    page.get_by_label("Language", exact=True).select_option("Spanish")
    submit(page, page.get_by_role("button", name="Search"))
    cards = page.locator(".card")
    assert cards.count() == 1
    assert "Women's shelter" in cards.first.inner_text()
    page.get_by_label("Need").select_option("")
    assert page.get_by_label("Near: latitude").count() == 0  # places by name, not coordinates
    page.get_by_label("Near", exact=True).select_option(label="Postal code 98104")
    page.get_by_label("Within (miles)").fill("5")
    submit(page, page.get_by_role("button", name="Search"))
    assert "miles away" in cards.first.inner_text()


def test_project_manager_opens_the_directory_page(browser_world, page):
    directory_demo_load(browser_world.program)
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    visit(page, "/directory/manage")
    assert heading(page) == "Service directory"
    assert page.get_by_role(
        "link", name="Tabular data package (CSV files and datapackage.json, zipped)"
    ).is_visible()
