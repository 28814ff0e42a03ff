"""An officer works from a phone: 390 px wide, no sideways scrolling, tap targets at least 44 px tall."""

import pytest

from offramp.programs.roles import Role
from tests.browser.pages import WAIT_MS, heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDTH = 390
MIN_TARGET = 44
# The controls an officer taps: the header's links and sign-out, navigation, form buttons and fields, pagers.
TARGETS = "header a, header button, main button, main input:not([type=hidden]), main select, .pager a"


@pytest.fixture
def context(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


def assert_fits_a_phone(page):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width}px wide at {WIDTH}px"
    small = []
    for target in page.locator(TARGETS).all():
        if not target.is_visible():
            continue
        box = target.bounding_box()
        if box["height"] < MIN_TARGET:
            small.append(f"{target.evaluate('e => e.outerHTML.slice(0, 80)')} is {box['height']:.0f}px tall")
    assert not small, f"tap targets under {MIN_TARGET}px on {page.url}:\n" + "\n".join(small)


def test_officer_pages_fit_a_phone(browser_world, page):
    visit(page, "/accounts/login/")
    assert_fits_a_phone(page)

    sign_in(page, browser_world.users[Role.OFFICER].username, PASSWORD)
    assert heading(page) == "My referrals"
    assert_fits_a_phone(page)
    assert page.locator(".card").count() == 1

    submit(page, page.get_by_role("link", name="Participant lookup"))
    assert_fits_a_phone(page)
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Date of birth").fill("1980-05-17")
    submit(page, page.get_by_role("button", name="Look up"))
    assert page.locator("section.result").is_visible()
    assert_fits_a_phone(page)
