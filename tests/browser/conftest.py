"""Browser fixtures: one Debian chromium per session, a fresh context per test, a live server.

The browser is never downloaded: Playwright drives the system chromium (the test
setup script installs it). A missing chromium is a failure, not a skip.
"""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.pages import WAIT_MS
from tests.conftest import build_world  # the repository root is on the path (pyproject: pythonpath)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail(
            "chromium was not found on PATH: the browser tests drive Debian's chromium "
            "(apt-get install chromium); they never download a browser.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_world(transactional_db):
    """The shared world, committed so the live server's thread can see it."""
    return build_world()


@pytest.fixture(autouse=True)
def fresh_codes(fresh_cache):
    """The cache of used authenticator codes is emptied for each test (tests/conftest.py): so is ours."""
    from tests.browser import pages

    pages._last_code.clear()


@pytest.fixture
def context(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context, live_server):
    """A page that records every request it makes and every document it loads.

    `page.requests` lists request URLs; `page.loaded`/`page.axe_checked` hold the documents
    loaded and the ones checked with axe (tests/browser/pages.py). A test that loaded a
    document without checking it fails here.
    """
    page = context.new_page()
    page.requests = []
    page.loaded = []
    page.axe_checked = set()
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("load", lambda loaded: page.loaded.append(loaded.url))
    yield page
    unchecked = sorted(set(page.loaded) - page.axe_checked)
    assert not unchecked, f"pages loaded without an accessibility check: {unchecked}"
    foreign = [url for url in page.requests if not url.startswith(live_server.url)]
    assert not foreign, f"requests left the local server: {foreign}"
