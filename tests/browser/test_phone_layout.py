"""At 390 px no page scrolls sideways: every page in each role's navigation, and the case team's case
pages; the caseload shows each person as a card with their flags."""

import pytest

from offramp.access.roles import Role
from tests.browser.pages import WAIT_MS, heading, sign_in, visit
from tests.browser.test_mobile import WIDTH
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def context(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


def nav_urls(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("#main-nav a").all()]


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width}px wide at {WIDTH}px"


ROLES = (
    Role.CASE_MANAGER,
    Role.CASE_SUPERVISOR,
    Role.PROJECT_MANAGER,
    Role.OFFICER,
    Role.SERGEANT,
    Role.PROSECUTOR,
)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_no_page_scrolls_sideways_at_390px(browser_world, page, role):
    sign_in(page, browser_world.users[role].username, PASSWORD)
    urls = nav_urls(page)
    assert urls
    case = browser_world.own_case.pk
    if role in (Role.CASE_MANAGER, Role.CASE_SUPERVISOR):
        urls += [
            f"/cases/{case}/",
            f"/cases/{case}/profile/",
            f"/cases/{case}/plan/",
            f"/cases/{case}/timeline/",
        ]
    for url in urls:
        visit(page, url)
        assert_no_sideways_scroll(page)


def test_the_caseload_is_a_list_of_cards_with_flags(browser_world, page):
    sign_in(page, browser_world.users[Role.CASE_SUPERVISOR].username, PASSWORD)
    visit(page, "/caseload/")
    assert heading(page) == "Caseload"
    row = page.locator("table.as-cards tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert row.locator('td[data-label="Flags"]').is_visible()
    assert_no_sideways_scroll(page)


def test_a_long_navigation_folds_behind_one_menu_button(browser_world, page):
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.locator("#main-nav").is_visible()
    menu.click()
    assert page.locator("#main-nav").is_visible() and menu.get_attribute("aria-expanded") == "true"
    assert_no_sideways_scroll(page)
