"""A project manager plans a program for the example city, edits an assumption and prints; axe-checked."""

import pytest

from offramp.access.roles import Role
from offramp.planning.inputs import EXAMPLE_ARRESTS
from tests.browser.pages import heading, sign_in, submit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_project_manager_plans_a_city_and_changes_the_caseload(browser_world, page):
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan a LEAD program"))
    assert heading(page) == "Plan a LEAD program"
    page.get_by_label("Arrests file (CSV)").set_input_files(str(EXAMPLE_ARRESTS))
    submit(page, page.get_by_role("button", name="Plan"))
    assert page.get_by_role("heading", name="What a LEAD program would take").is_visible()
    assert page.get_by_text("Case managers at a caseload of 20").is_visible()
    page.locator("#a-caseload-2").fill("10")
    submit(page, page.get_by_role("button", name="Recompute"))
    assert page.get_by_text("Case managers at a caseload of 10").is_visible()
    assert page.get_by_role(
        "table", name="The assumptions this brief rests on, with where each comes from"
    ).is_visible()
    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Recompute").is_hidden()
