"""A supervisor finds a case manager by name, on the overview and on a case page, and assigns the case
to them; every page is axe-checked."""

import pytest

from offramp.access.scope import trusted
from offramp.cases.models import Case
from offramp.programs.roles import Role
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_supervisor_finds_a_case_manager_and_assigns_a_case(browser_world, page):
    world = browser_world
    sign_in(page, world.users[Role.CASE_SUPERVISOR].username, PASSWORD)
    visit(page, "/program/")
    assert heading(page) == "Program overview"
    page.get_by_label("Case manager's name").fill("secondcm")
    submit(page, page.get_by_role("button", name="Show"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "Secondcm" in rows.first.inner_text()

    visit(page, f"/cases/{world.own_case.pk}/")
    page.get_by_label("Find by name").fill("secondcm")
    submit(page, page.get_by_role("button", name="Find case managers"))
    choice = page.get_by_label("Case manager")
    assert choice.locator("option").all_inner_texts() == ["Choose a case manager", "Secondcm (1 open)"]
    choice.select_option(label="Secondcm (1 open)")
    submit(page, page.get_by_role("button", name="Reassign"))
    assert page.get_by_text("The case was assigned.").is_visible()
    with trusted("tests"):
        assert Case.objects.get(pk=world.own_case.pk).case_manager.username == "secondcm"
