"""Helpers for the browser tests: every page the browser shows is checked with axe-core.

`visit` navigates and checks; `submit` clicks a control that loads a new page and checks
that page. The `page` fixture (conftest.py) fails a test that loaded a document without checking it.
"""

from __future__ import annotations

import time

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 level A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()

# How long Playwright waits for a page, a navigation or an element before failing. Its waits end as
# soon as the condition holds, so a long limit costs nothing on a quiet machine and keeps a loaded one
# (eight test runs on two cores) from failing a test that was only slow.
WAIT_MS = 30_000


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


def check_accessibility(page) -> None:
    """Run axe-core on the page as it is now and fail on any WCAG 2.1 A/AA violation."""
    results = _axe.run(page, options=AXE_OPTIONS)
    checked = getattr(page, "axe_checked", None)
    if checked is not None:
        checked.add(page.url)
    violations = results.response["violations"]
    assert not violations, format_violations(page.url, violations)


def visit(page, url: str):
    """Open a URL (relative to the live server), check the page with axe, and return the response."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    check_accessibility(page)
    return response


def submit(page, locator) -> None:
    """Click a control that loads a new page (a form's submit button, a link), then check that page."""
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the real forms: username, password and the use notice, then the second factor.

    Test accounts carry the authenticator tests/conftest.py enrols (offramp.accounts.mfa); a code
    is accepted once, so a second sign-in within the same 30 seconds waits for the next code.
    """
    visit(page, "/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("I have read this notice").check()
    submit(page, page.get_by_role("button", name="Sign in"))
    if "/accounts/2fa/authenticate" in page.url:
        enter_code(page, username)


def enter_code(page, username: str) -> None:
    """Answer the second-factor page with the account's current authenticator code.

    A code is accepted once: when this account already used the current one (a second
    sign-in within 30 seconds), wait for the next.
    """
    from offramp.accounts.mfa import demo_totp_secret

    secret = demo_totp_secret(username)
    code = fresh_code(secret)
    if code == _last_code.get(username):
        _wait_for_next_period()
        code = fresh_code(secret)
    _last_code[username] = code
    page.get_by_label("Authentication code").fill(code)
    submit(page, page.get_by_role("button", name="Continue"))


_last_code: dict[str, str] = {}


def fresh_code(secret: str) -> str:
    """The authenticator code for `secret`, with at least five seconds of its period left.

    A code typed in the last seconds of its period may reach the server in the next one,
    where it is refused (no tolerance window); a loaded machine makes that likely.
    """
    from offramp.accounts.mfa import totp_code

    if 30 - time.time() % 30 < 5:
        _wait_for_next_period()
    return totp_code(secret)


def _wait_for_next_period() -> None:
    time.sleep(30 - time.time() % 30 + 0.2)


def heading(page) -> str:
    return page.locator("main h1").inner_text().strip()


def nav_labels(page) -> list[str]:
    nav = page.get_by_role("navigation", name="Main")
    if nav.count() == 0:
        return []
    return [text.strip() for text in nav.get_by_role("link").all_inner_texts()]
