"""A case manager on a phone records contacts and works on the plan; every page is axe-checked."""

import pytest

from offramp.access.scope import trusted
from offramp.cases.models import Contact, Goal, Plan
from offramp.programs.roles import Role
from tests.browser.pages import WAIT_MS, sign_in, submit, visit
from tests.browser.test_mobile import WIDTH, assert_fits_a_phone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


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


def test_a_case_manager_records_contacts_and_edits_the_plan_on_a_phone(browser_world, page):
    case = browser_world.own_case
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, f"/cases/{case.pk}/")
    assert_fits_a_phone(page)

    # a typical contact is one tap: kind (the last one used), reached, now and 15 minutes are filled in
    submit(page, page.get_by_role("button", name="Record contact"))
    assert page.get_by_text("Contact recorded.").is_visible()
    page.get_by_label("Phone").check()
    page.get_by_label("Attempt only").check()
    page.get_by_label("Where").fill("Harbor Park")
    submit(page, page.get_by_role("button", name="Record contact"))
    page.get_by_label("Note (confidential)").fill("Wants to talk about starting methadone.")
    page.get_by_label("The note mentions substance use").check()
    submit(page, page.get_by_role("button", name="Record contact"))
    assert page.locator(".note").filter(has_text="Wants to talk about starting methadone.").is_visible()
    assert_fits_a_phone(page)
    with trusted("tests"):
        recorded = list(Contact.objects.filter(case=case).order_by("id"))[1:]
    assert [(c.kind, c.successful, c.part2) for c in recorded] == [
        ("street_outreach", True, False),
        ("phone", False, False),
        ("phone", True, True),
    ]

    submit(page, page.get_by_role("link", name="Individual Intervention Plan"))
    assert_fits_a_phone(page)
    page.get_by_label("The goal, in the participant's own words").fill("A place of my own near my sister")
    page.get_by_label("Area of life").select_option("housing")
    submit(page, page.get_by_role("button", name="Add the goal"))
    page.get_by_text("Change this goal").click()
    page.get_by_label("What").fill("Apply to the housing list")
    page.get_by_label("Who does it").fill("Participant, with me")
    submit(page, page.get_by_role("button", name="Add the step"))
    page.get_by_text("Change this goal").click()
    page.get_by_label("Where it stands").select_option("in_progress")
    submit(page, page.get_by_role("button", name="Save the goal"))
    page.get_by_label("Verbal agreement").check()
    submit(page, page.get_by_role("button", name="Record agreement to version 4"))
    assert page.get_by_text("Verbal agreement on").is_visible()
    assert_fits_a_phone(page)
    with trusted("tests"):
        goal = Goal.objects.get(plan__case=case)
        assert (goal.status, goal.steps.count()) == ("in_progress", 1)
        assert Plan.objects.get(case=case).agreed_version == 4
