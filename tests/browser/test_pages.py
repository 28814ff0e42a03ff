"""Each role signs in through the real form and finds its pages; every page passes axe-core (WCAG 2.1 AA)."""

import datetime as dt

import pytest

from offramp.programs.roles import Role
from tests.browser.pages import heading, nav_labels, sign_in, submit, visit
from tests.conftest import PASSWORD, make_case

pytestmark = pytest.mark.browser

# role -> (landing page heading, navigation links in order)
ROLES = {
    Role.OFFICER: (
        "My referrals",
        ["My referrals", "Participant lookup", "New referral", "Notifications", "Workgroup"],
    ),
    # A sergeant sees what an officer sees, and the review queue of decisions waiting for a sergeant.
    Role.SERGEANT: (
        "My referrals",
        ["Review queue", "My referrals", "Participant lookup", "New referral", "Notifications", "Workgroup"],
    ),
    Role.CASE_MANAGER: (
        "Today",
        [
            "Today",
            "My referrals",
            "Caseload",
            "Consents ending",
            "Possible duplicates",
            "Participant lookup",
            "Find a service",
            "New referral",
            "Notifications",
            "Workgroup",
            "Legal coordination",
        ],
    ),
    Role.CASE_SUPERVISOR: (
        "Today",
        [
            "Today",
            "My referrals",
            "Caseload",
            "Consents ending",
            "Possible duplicates",
            "Program overview",
            "Program dashboard",
            "Funder's quarterly measures",
            "Participant lookup",
            "Find a service",
            "New referral",
            "Notifications",
            "Workgroup",
            "Legal coordination",
            "Audit log",
            "HMIS export",
            "Import a caseload",
            "Case transfers",
        ],
    ),
    Role.PROJECT_MANAGER: (
        None,  # the issue names no landing page for the project manager: any of its pages
        [
            "Review queue",
            "Today",
            "My referrals",
            "Caseload",
            "Program overview",
            "Program dashboard",
            "Funder's quarterly measures",
            "Participant lookup",
            "New referral",
            "Notifications",
            "Workgroup",
            "Legal coordination",
            "Evaluation",
            "Audit log",
            "Eligibility protocol",
            "Batch screening",
            "Continuous screening",
            "Plan a LEAD program",
            "Find a service",
            "Service directory",
            "Program settings",
            "Assessment questions",
            "HMIS export",
            "Import a caseload",
        ],
    ),
    Role.PROSECUTOR: (
        "Participant lookup",
        ["Review queue", "Participant lookup", "Notifications", "Workgroup", "Legal coordination"],
    ),
    # The public defender: legal coordination only (no lookup, no workgroup: status is not theirs).
    Role.PUBLIC_DEFENDER: ("Legal coordination", ["Legal coordination"]),
    Role.EVALUATOR: ("Evaluation", ["Evaluation"]),
    Role.SYSTEM_ADMIN: (
        "Users",
        [
            "Users",
            "Integrations",
            "Audit log",
            "Eligibility protocol",
            "Batch screening",
            "Continuous screening",
            "Plan a LEAD program",
            "Service directory",
            "Program settings",
            "Assessment questions",
        ],
    ),
}


@pytest.mark.parametrize("role", list(ROLES), ids=[role.value for role in ROLES])
def test_each_role_lands_on_its_page_and_can_open_every_link(browser_world, page, role):
    landing, links = ROLES[role]
    sign_in(page, browser_world.users[role].username, PASSWORD)

    assert "/accounts/login/" not in page.url, f"{role} was not signed in"
    assert sorted(nav_labels(page)) == sorted(links)
    current = page.locator('nav[aria-label="Main"] a[aria-current="page"]')
    if landing is None:
        assert heading(page) in links
    else:
        assert heading(page) == landing, f"{role} landed on {page.url}"
        assert current.inner_text().strip() == landing

    for label in links:
        if label == heading(page):
            continue
        submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True))
        assert heading(page) == label
        assert current.inner_text().strip() == label


def test_supervisor_opens_the_program_overview(browser_world, page):
    sign_in(page, browser_world.users[Role.CASE_SUPERVISOR].username, PASSWORD)
    submit(page, page.get_by_role("link", name="Program overview"))
    assert heading(page) == "Program overview"
    assert page.get_by_role("heading", name="Caseloads").is_visible()


def test_prosecutor_looks_up_a_consenting_participant_and_one_without_consent(browser_world, page):
    world = browser_world
    make_case(
        world.program,
        manager=world.users[Role.CASE_MANAGER],
        first="Dee",
        last="Nguyen",
        dob=dt.date(1988, 8, 8),
        consent=False,
    )
    sign_in(page, world.users[Role.PROSECUTOR].username, PASSWORD)
    assert heading(page) == "Participant lookup"

    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Date of birth").fill("1980-05-17")
    submit(page, page.get_by_role("button", name="Look up"))
    result = page.locator("section.result")
    assert result.get_by_text("Status", exact=True).is_visible()
    assert "Lopez" in result.inner_text()
    assert "Ana" in result.inner_text()

    page.get_by_label("Last name").fill("Nguyen")
    page.get_by_label("Date of birth").fill("1988-08-08")
    submit(page, page.get_by_role("button", name="Look up"))
    assert "There is no participant record you may see" in result.inner_text()
    assert "Nguyen" not in result.inner_text()


def test_wrong_password_shows_an_error_and_stays_on_sign_in(browser_world, page):
    sign_in(page, browser_world.users[Role.OFFICER].username, "not the password")
    assert "/accounts/login/" in page.url
    assert heading(page) == "Sign in"
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("navigation", name="Main").count() == 0


def test_sign_out_ends_the_session(browser_world, page):
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    submit(page, page.get_by_role("button", name="Sign out"))
    assert "/accounts/login/" in page.url

    visit(page, "/caseload/")
    assert "/accounts/login/" in page.url
    assert heading(page) == "Sign in"


def test_pages_load_nothing_from_elsewhere_and_send_a_content_security_policy(
    browser_world, page, live_server
):
    response = visit(page, "/accounts/login/")
    assert "content-security-policy" in response.headers
    assert "default-src 'self'" in response.headers["content-security-policy"]

    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    for url in (
        "/referrals/",
        "/caseload/",
        "/program/",
        "/lookup/",
        "/evaluation/",
        f"/cases/{browser_world.own_case.pk}/",
    ):
        response = visit(page, url)
        assert response.ok, url
        assert "content-security-policy" in response.headers, url

    assert page.requests, "no requests were recorded"
    foreign = [url for url in page.requests if not url.startswith(live_server.url)]
    assert not foreign, f"requests left the local server: {foreign}"
