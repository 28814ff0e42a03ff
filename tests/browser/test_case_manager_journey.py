"""Issue 4's journey on a phone: an officer's referral, then the case manager from hand-off to exit.

Intake, a plan with two goals, three contacts, a service referral followed to connection, an outcome
change and an exit with its reason, each through the real pages; every page is axe-checked.
"""

import pytest

from offramp.access.scope import trusted
from offramp.cases.models import Case, Contact, Goal, OutcomeSnapshot
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.transitions.models import ServiceReferral
from tests.browser.pages import heading, sign_in, submit, visit
from tests.browser.test_case_work import context  # noqa: F401  (the phone-sized context)
from tests.browser.test_mobile import assert_fits_a_phone
from tests.conftest import PASSWORD
from tests.transitions.conftest import give_consent, make_service

pytestmark = pytest.mark.browser


def _refer(page, users):
    """The officer's three screens (as tests/browser/test_officer_referral.py drives them)."""
    sign_in(page, users[Role.OFFICER].username, PASSWORD)
    submit(page, page.get_by_role("link", name="New referral"))
    page.get_by_label("Last name").fill("Marsh")
    page.get_by_label("First name").fill("Tobias")
    page.get_by_label("Date of birth").fill("1988-02-03")
    submit(page, page.get_by_role("button", name="Next"))
    page.get_by_label("Arrest diversion").check()
    page.get_by_label("Offence").select_option("RCW 69.50.4013")
    submit(page, page.get_by_role("button", name="Next"))
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
    assert page.locator(".decision").inner_text().strip() == "Eligible"
    submit(page, page.get_by_role("button", name="Divert and call the case manager"))
    assert heading(page) == "Hand-off card"


def test_a_case_manager_takes_a_new_referral_from_intake_to_exit(browser_world, page, context):  # noqa: F811
    users = browser_world.users
    protocol_publish_example(program=browser_world.program, name="seattle")
    make_service(browser_world.program)
    _refer(page, users)

    # The case manager, in a fresh session on the same phone, picks the referral up from the notice.
    page.context.clear_cookies()
    sign_in(page, users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, "/notifications/")
    assert page.get_by_text("Warm hand-off: Tobias Marsh").is_visible()
    submit(page, page.get_by_role("link", name="Open"))
    submit(page, page.get_by_role("button", name="I am with the person now"))
    submit(page, page.get_by_role("link", name="Open the case"))
    assert "Marsh" in heading(page)
    with trusted("tests"):
        case = Case.objects.get(program=browser_world.program, person__legal_last_name="Marsh")
    assert case.status == "referred"
    give_consent(case)  # the participant's signed consent to share with providers (on paper)

    # Intake, on the case page.
    assert_fits_a_phone(page)
    submit(page, page.get_by_role("button", name="Intake completed"))
    assert page.locator(".facts").get_by_text("Active", exact=True).is_visible()

    # Three contacts: the one-tap default, a phone attempt, a reached phone call with a note.
    submit(page, page.get_by_role("button", name="Record contact"))
    assert page.get_by_text("Contact recorded.").is_visible()
    page.get_by_label("Phone").check()
    page.get_by_label("Attempt only").check()
    page.get_by_label("Where").fill("Harbor Park")
    submit(page, page.get_by_role("button", name="Record contact"))
    page.get_by_label("Note (confidential)").fill("Talked about the housing list.")
    submit(page, page.get_by_role("button", name="Record contact"))
    assert page.locator(".note").filter(has_text="Talked about the housing list.").is_visible()
    assert_fits_a_phone(page)

    # The plan: two goals in the participant's own words, then verbal agreement.
    submit(page, page.get_by_role("link", name="Individual Intervention Plan"))
    assert_fits_a_phone(page)
    for words, area in (("A place of my own near my sister", "housing"), ("Get my ID back", "id")):
        page.locator("#goal_new_in_own_words").fill(words)  # the new-goal form (each goal has its own)
        page.locator("#goal_new_area").select_option(area)
        submit(page, page.get_by_role("button", name="Add the goal"))
        assert page.get_by_text(words).first.is_visible()
    page.get_by_label("Verbal agreement").check()
    submit(page, page.get_by_role("button", name="Record agreement to version"))
    assert page.get_by_text("Verbal agreement on").is_visible()

    # A service referral, sent and then connected.
    visit(page, f"/cases/{case.pk}/")
    submit(page, page.get_by_role("link", name="Service referrals"))
    submit(page, page.get_by_role("link", name="New service referral"))
    page.get_by_label("Words (service or organization)").fill("rehousing")
    submit(page, page.get_by_role("button", name="Search the directory"))
    page.get_by_label("Rapid rehousing").check()
    page.get_by_label("Area of need").select_option("housing")
    page.get_by_label("Send the referral to the provider now").check()
    submit(page, page.get_by_role("button", name="Save the referral"))
    submit(page, page.get_by_role("link", name="Update the referral to Harbor Housing"))
    page.get_by_label("Connected (the participant is receiving the service)").check()
    page.get_by_label("The provider's response").fill("Moved in on Monday")
    submit(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("Connected (the participant is receiving the service)").is_visible()
    assert_fits_a_phone(page)

    # Outcomes: this month's snapshot, then a change (moved in, ID obtained).
    visit(page, f"/cases/{case.pk}/")
    submit(page, page.get_by_role("link", name="Outcomes and timeline"))
    page.get_by_label("Where the participant is living").select_option("116")
    page.get_by_label("Employment", exact=True).select_option("looking")
    page.get_by_label("Health insurance").select_option("medicaid")
    submit(page, page.get_by_role("button", name="Record outcomes"))
    assert page.get_by_text("Outcomes recorded.").is_visible()
    page.get_by_label("Where the participant is living").select_option("435")
    page.get_by_label("Has a current photo ID").check()
    submit(page, page.get_by_role("button", name="Record outcomes"))
    assert page.locator(".timeline").get_by_text("Outcomes: something changed").is_visible()
    assert_fits_a_phone(page)

    # The exit, with its reason.
    visit(page, f"/cases/{case.pk}/")
    page.get_by_label("Exit reason").select_option("goals_met")
    submit(page, page.get_by_role("button", name="Exit the case"))
    assert page.get_by_role("heading", name="Exit the case?").is_visible()  # asked first, nothing changed yet
    assert_fits_a_phone(page)
    submit(page, page.get_by_role("button", name="Yes, exit the case"))
    assert page.locator(".facts").get_by_text("Goals met").is_visible()
    assert page.get_by_role("button", name="Record contact").count() == 0
    assert_fits_a_phone(page)

    with trusted("tests"):
        case.refresh_from_db()
        assert (case.status, case.exit_reason, case.intake_completed_at is not None) == (
            "exited",
            "goals_met",
            True,
        )
        assert sorted(Goal.objects.filter(plan__case=case).values_list("area", flat=True)) == [
            "housing",
            "id",
        ]
        assert Contact.objects.filter(case=case).count() == 3
        referral = ServiceReferral.objects.get(case=case)
        assert (referral.status, referral.provider_response) == ("connected", "Moved in on Monday")
        history = list(case.status_history.order_by("at", "id").values_list("to_status", flat=True))
        reasons = list(
            OutcomeSnapshot.objects.filter(case=case).order_by("id").values_list("reason", "id_obtained")
        )
    assert reasons == [("monthly", False), ("change", True)]
    assert history == ["referred", "active", "exited"]
