"""An officer on a phone refers someone to the hand-off card; the on-call case manager sees the notice."""

import pytest

from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from tests.browser.pages import WAIT_MS, heading, sign_in, submit, visit
from tests.browser.test_mobile import assert_fits_a_phone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def context(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


def test_officer_refers_to_the_handoff_card_and_the_case_manager_is_told(browser_world, page, context):
    protocol_publish_example(program=browser_world.program, name="seattle")
    sign_in(page, browser_world.users[Role.OFFICER].username, PASSWORD)
    submit(page, page.get_by_role("link", name="New referral"))

    # Screen 1: the person.
    assert heading(page) == "New referral"
    assert_fits_a_phone(page)
    page.get_by_label("Last name").fill("Marsh")
    page.get_by_label("First name").fill("Tobias")
    page.get_by_label("Date of birth").fill("1988-02-03")
    submit(page, page.get_by_role("button", name="Next"))

    # Screen 2: the door and the offence facts.
    assert heading(page) == "What happened?"
    assert page.get_by_role("status").inner_text() == "Not known"
    assert_fits_a_phone(page)
    assert page.get_by_role("group", name="How did the person come to the program?").is_visible()
    assert "Door" not in page.locator("main").inner_text()
    page.get_by_label("Arrest diversion").check()
    page.get_by_label("Offence").select_option("RCW 69.50.4013")
    submit(page, page.get_by_role("button", name="Next"))
    # Only what a possession arrest needs: no prostitution question, no community referrer.
    assert_fits_a_phone(page)
    assert page.get_by_text("Is the person promoting prostitution of others?").count() == 0
    assert page.get_by_label("Who referred the person?").count() == 0
    submit(page, page.get_by_role("button", name="Check eligibility"))
    error = page.locator("#id_incident_number_error")
    assert error.inner_text() == "The incident number is needed for an arrest diversion."
    assert error.is_visible()
    page.get_by_label("Incident number").fill("26-555001")
    page.get_by_label("Quantity (grams)").fill("0.8")
    page.get_by_label("Substance").select_option("methamphetamine")
    page.get_by_label("Where are you?").fill("Harbor Park")
    for question, answer in (
        ("Does the activity exploit minors or other people?", "No"),
        ("Is the person amenable to participating?", "Yes"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Records check: Murder, arson").get_by_label("None found").check()
    submit(page, page.get_by_role("button", name="Check eligibility"))

    # Screen 3: the decision with its reasons.
    assert heading(page) == "Decision"
    assert page.locator(".decision").inner_text().strip() == "Eligible"
    assert page.get_by_text("0.8 g is within the 3 g limit.").is_visible()
    assert page.locator(".reason--eligible .reason__word").first.inner_text() == "Met:"
    assert_fits_a_phone(page)
    submit(page, page.get_by_role("button", name="Divert and call the case manager"))

    # The hand-off card, in English and Spanish.
    assert heading(page) == "Hand-off card"
    assert page.get_by_text("Fecha límite de admisión").is_visible()
    assert page.get_by_text("26-555001").first.is_visible()
    assert_fits_a_phone(page)

    # The on-call case manager (fewest open cases: the world's own case manager) sees the notice.
    manager = context.browser.new_context(base_url=page.url.split("/referrals")[0])
    manager_page = manager.new_page()
    manager_page.axe_checked = set()
    sign_in(manager_page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(manager_page, "/notifications/")
    assert manager_page.get_by_text("Warm hand-off: Tobias Marsh").is_visible()
    submit(manager_page, manager_page.get_by_role("link", name="Open"))
    # The hand-off page: the case manager records meeting the person against the 30-minute target.
    assert heading(manager_page) == "Warm hand-off"
    submit(manager_page, manager_page.get_by_role("button", name="I am with the person now"))
    assert manager_page.get_by_text("within the 30-minute target").is_visible()
    submit(manager_page, manager_page.get_by_role("link", name="Open the case"))
    assert "Marsh" in heading(manager_page)
    manager.close()
