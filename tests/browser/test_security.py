"""Sign-in security in a real browser: MFA enrolment at first sign-in, lockout and release, idle time-out."""

import time

import pytest
from django.contrib.auth import get_user_model

from offramp.programs.models import Membership
from offramp.programs.roles import Role
from tests.browser.pages import fresh_code, heading, nav_labels, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _fill_sign_in(page, username, password):
    visit(page, "/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("I have read this notice").check()
    submit(page, page.get_by_role("button", name="Sign in"))


def test_a_new_user_sets_up_a_second_factor_at_first_sign_in(browser_world, page):
    user = get_user_model().objects.create_user(username="newhire", password=PASSWORD, first_name="New")
    Membership.objects.create(user=user, program=browser_world.program, role=Role.CASE_MANAGER)

    _fill_sign_in(page, "newhire", PASSWORD)
    assert heading(page) == "Set up a second factor"
    visit(page, "/caseload/")  # nothing else opens until a second factor is set up
    assert heading(page) == "Set up a second factor"

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authentication code").fill(fresh_code(secret))
    submit(page, page.get_by_role("button", name="Activate"))
    visit(page, "/caseload/")
    assert heading(page) == "Caseload"

    # Next time, the password alone is not enough.
    submit(page, page.get_by_role("button", name="Sign out"))
    _fill_sign_in(page, "newhire", PASSWORD)
    assert heading(page) == "Second factor"


def test_a_locked_account_stays_locked_until_an_administrator_releases_it(browser_world, page, context):
    officer = browser_world.users[Role.OFFICER].username
    for _ in range(5):
        _fill_sign_in(page, officer, "not the password")
    _fill_sign_in(page, officer, PASSWORD)
    assert "/accounts/login/" in page.url
    assert "refused after repeated failed attempts" in page.get_by_role("alert").inner_text()

    admin = context.browser.new_context(base_url=page.url.split("/accounts")[0])
    admin_page = admin.new_page()
    admin_page.axe_checked = set()
    sign_in(admin_page, browser_world.users[Role.SYSTEM_ADMIN].username, PASSWORD)
    submit(admin_page, admin_page.get_by_role("button", name=f"Release {officer}"))
    assert "can sign in again" in admin_page.get_by_role("status").inner_text()
    admin.close()

    sign_in(page, officer, PASSWORD)
    assert "My referrals" in nav_labels(page)


def test_an_idle_session_is_sent_back_to_sign_in(browser_world, page, settings):
    # The idle limit drops to a second only once signed in: a slow sign-in on a busy machine is not idling.
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, "/caseload/")
    assert heading(page) == "Caseload"
    last_request = time.time()  # the server last saw the session before this
    settings.SESSION_IDLE_SECONDS = 1
    time.sleep(max(0.0, last_request + 1.2 - time.time()))  # the session idles past its limit
    visit(page, "/caseload/")
    assert "/accounts/login/" in page.url
    assert heading(page) == "Sign in"
    assert "without activity" in page.get_by_role("status").inner_text()


def test_a_case_manager_revokes_a_consent_and_the_prosecutor_finds_nobody(browser_world, page):
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, f"/cases/{browser_world.own_case.pk}/disclosures/")
    assert heading(page) == "Consents and disclosures"
    submit(page, page.get_by_role("button", name="Revoke"))
    assert "was revoked" in page.get_by_role("status").inner_text()
    assert "Revoked" in page.locator("table").first.inner_text()
    submit(page, page.get_by_role("button", name="Sign out"))

    sign_in(page, browser_world.users[Role.PROSECUTOR].username, PASSWORD)
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Date of birth").fill("1980-05-17")
    submit(page, page.get_by_role("button", name="Look up"))
    assert "There is no participant record you may see" in page.locator(".result").inner_text()


def test_a_supervisor_records_a_prosecutor_consent_and_the_prosecutor_gets_an_answer(browser_world, page):
    from offramp.access.models import Consent
    from offramp.access.scope import trusted

    case = browser_world.other_case
    with trusted("tests"):
        Consent.objects.filter(person_id=case.person_id).delete()
    sign_in(page, browser_world.users[Role.CASE_SUPERVISOR].username, PASSWORD)
    visit(page, f"/cases/{case.pk}/disclosures/")
    submit(page, page.get_by_role("link", name="Record a prosecutor-monitoring consent (42 CFR 2.35)"))
    assert heading(page) == "Record a consent"
    page.get_by_label("Ends on (event)").fill("")
    page.get_by_label("Ends with an event the program records").select_option("")
    submit(page, page.get_by_role("button", name="Record the consent"))  # no end given: refused, axe-checked
    assert "date or the event" in page.get_by_role("alert").inner_text()
    page.get_by_label("Ends on (event)").fill("when the criminal proceeding ends")
    page.get_by_label("Recipient's name (optional)").fill("Test County Prosecutor")
    submit(page, page.get_by_role("button", name="Record the consent"))
    assert "was recorded" in page.get_by_role("status").inner_text()
    assert "Irrevocable until the proceeding ends" in page.locator("table").first.inner_text()
    submit(page, page.get_by_role("button", name="Sign out"))

    sign_in(page, browser_world.users[Role.PROSECUTOR].username, PASSWORD)
    page.get_by_label("Last name").fill("Okoro")
    page.get_by_label("Date of birth").fill("1975-01-02")
    submit(page, page.get_by_role("button", name="Look up"))
    assert "Ben Okoro" in page.locator(".result").inner_text()


def test_an_administrator_creates_a_temporary_account_and_changes_its_roles(browser_world, page):
    sign_in(page, browser_world.users[Role.SYSTEM_ADMIN].username, PASSWORD)
    visit(page, "/users/")
    submit(page, page.get_by_role("link", name="New staff account"))
    assert heading(page) == "New staff account"
    for label, value in (
        ("First name", "Dana"),
        ("Last name", "Reyes"),
        ("Username", "dreyes"),
        ("First password", "plover xylophone quarry 42"),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_label("Officer").check()
    page.get_by_label("Temporary account").check()
    submit(page, page.get_by_role("button", name="Create the account"))
    assert "can now sign in as dreyes" in page.get_by_role("status").inner_text()
    assert "(temporary)" in page.locator("table").inner_text()

    submit(page, page.get_by_role("link", name="Change the roles of dreyes"))
    assert heading(page) == "Roles of Dana Reyes"
    page.get_by_label("Role", exact=True).select_option("prosecutor")
    submit(page, page.get_by_role("button", name="Add the role"))
    assert "signs in again" in page.get_by_role("status").inner_text()
    submit(page, page.get_by_role("button", name="Remove the role Prosecutor"))
    submit(page, page.get_by_role("button", name="Remove the role Officer"))  # the last role: refused
    assert "only role" in page.get_by_role("alert").inner_text()
