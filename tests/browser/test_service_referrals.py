"""A case manager on a phone refers a participant to a directory service and follows it to connection."""

import pytest

from offramp.programs.roles import Role
from tests.browser.pages import sign_in, submit, visit
from tests.browser.test_case_work import context  # noqa: F401  (the phone-sized context)
from tests.browser.test_mobile import assert_fits_a_phone
from tests.conftest import PASSWORD
from tests.transitions.conftest import give_consent, make_service

pytestmark = pytest.mark.browser


def test_a_case_manager_refers_to_a_service_and_records_connection(browser_world, page):
    case = browser_world.own_case
    make_service(browser_world.program)
    give_consent(case)
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, f"/cases/{case.pk}/service-referrals/")
    assert_fits_a_phone(page)
    submit(page, page.get_by_role("link", name="New service referral"))
    page.get_by_label("Words (service or organization)").fill("rehousing")
    submit(page, page.get_by_role("button", name="Search the directory"))
    assert_fits_a_phone(page)
    page.get_by_label("Rapid rehousing").check()
    page.get_by_label("Area of need").select_option("housing")
    page.get_by_label("Send the referral to the provider now").check()
    submit(page, page.get_by_role("button", name="Save the referral"))
    assert page.get_by_text("Referred (sent to the provider)").is_visible()
    submit(page, page.get_by_role("link", name="Update the referral to Harbor Housing"))
    assert_fits_a_phone(page)
    page.get_by_label("Connected (the participant is receiving the service)").check()
    page.get_by_label("The provider's response").fill("Moved in on Monday")
    submit(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("Connected (the participant is receiving the service)").is_visible()
    assert page.get_by_text("Moved in on Monday").is_visible()
