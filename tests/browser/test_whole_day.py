"""Issue 13's day at 390 px: the officer refers a new person; the signed-in on-call case manager sees the
hand-off on their Today page and records arrival, intake, a goal and a contact; a second referral whose
records check was not done needs a sergeant's review: the sergeant approves it from the review queue and
the case manager takes that hand-off too; a reassignment reaches the new case manager; the officer
reopens the card; the prosecutor's lookup follows consent."""

import pytest

from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.cases.models import Case, Contact, Goal
from offramp.referrals.actions import protocol_publish_example
from tests.browser.pages import WAIT_MS, heading, sign_in, submit, visit
from tests.browser.test_case_manager_journey import _refer
from tests.browser.test_mobile import WIDTH, assert_fits_a_phone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": WIDTH, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def context(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


def phone(chromium, live_server, opened: list):
    """Another person's phone: its own browser context, every page it loads checked with axe."""
    context = chromium.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(WAIT_MS)
    opened.append(context)
    page = context.new_page()
    page.axe_checked = set()
    return page


def section(page, heading_id: str):
    return page.locator(f"section:has(#{heading_id})")


def test_a_whole_day_from_the_first_call_to_the_reassignment(browser_world, page, chromium, live_server):
    users = browser_world.users
    protocol_publish_example(program=browser_world.program, name="seattle")
    opened = []
    try:
        # The supervisor puts the case manager on call (the fallback: whenever no shift covers the time).
        supervisor = phone(chromium, live_server, opened)
        sign_in(supervisor, users[Role.CASE_SUPERVISOR].username, PASSWORD)
        assert heading(supervisor) == "Today"
        submit(supervisor, supervisor.get_by_role("link", name="On-call rota"))
        assert_fits_a_phone(supervisor)
        supervisor.get_by_label("Case manager").select_option(label=str(users[Role.CASE_MANAGER]))
        supervisor.get_by_label("Fallback", exact=False).check()
        submit(supervisor, supervisor.get_by_role("button", name="Add to the rota"))
        assert str(users[Role.CASE_MANAGER]) in supervisor.get_by_role("status").inner_text()

        # The case manager is signed in on their phone, with nothing waiting yet.
        manager = phone(chromium, live_server, opened)
        sign_in(manager, users[Role.CASE_MANAGER].username, PASSWORD)
        assert heading(manager) == "Today"
        assert section(manager, "handoffs-heading").get_by_text("No hand-offs waiting.").is_visible()

        # The officer refers someone new; the card names the case manager, prints, fits the phone.
        _refer(page, users)
        card = page.locator("article.handoff")
        assert str(users[Role.CASE_MANAGER]) in card.inner_text()
        assert page.get_by_role("button", name="Print the card").is_visible()
        card_box = card.bounding_box()
        spanish = page.locator('article.handoff section[lang="es"]').bounding_box()
        assert (
            spanish["x"] >= card_box["x"]
            and spanish["x"] + spanish["width"] <= card_box["x"] + card_box["width"]
        )
        assert_fits_a_phone(page)

        # The hand-off is at the top of the case manager's Today page, with the 30-minute clock.
        visit(manager, "/today/")
        handoffs = section(manager, "handoffs-heading")
        assert "Tobias Marsh" in handoffs.inner_text() and "min left" in handoffs.inner_text()
        assert_fits_a_phone(manager)
        submit(manager, handoffs.get_by_role("link", name="Open the hand-off"))
        submit(manager, manager.get_by_role("button", name="I am with the person now"))
        assert manager.get_by_text("within the 30-minute target").is_visible()
        submit(manager, manager.get_by_role("link", name="Open the case"))
        assert "Marsh" in heading(manager)
        submit(manager, manager.get_by_role("button", name="Intake completed"))
        assert manager.locator(".facts").get_by_text("Active", exact=True).is_visible()
        submit(manager, manager.get_by_role("button", name="Record contact"))
        assert manager.get_by_text("Contact recorded.").is_visible()
        submit(manager, manager.get_by_role("link", name="Individual Intervention Plan"))
        manager.locator("#goal_new_in_own_words").fill("A place of my own near my sister")
        manager.locator("#goal_new_area").select_option("housing")
        submit(manager, manager.get_by_role("button", name="Add the goal"))
        assert manager.get_by_text("A place of my own near my sister").first.is_visible()
        assert_fits_a_phone(manager)
        visit(manager, "/today/")
        assert "Tobias Marsh" not in section(manager, "handoffs-heading").inner_text()

        # A second referral, the records check not done: Seattle's protocol sends it to a sergeant.
        _refer_for_review(page)
        assert str(users[Role.CASE_MANAGER]) in page.locator("article.handoff").inner_text()
        sergeant = phone(chromium, live_server, opened)
        sign_in(sergeant, users[Role.SERGEANT].username, PASSWORD)
        if sergeant.get_by_role("button", name="Menu").count():
            sergeant.get_by_role("button", name="Menu").click()
        submit(sergeant, sergeant.locator("#main-nav").get_by_role("link", name="Review queue"))
        assert heading(sergeant) == "Review queue"
        assert_fits_a_phone(sergeant)
        card = sergeant.locator("li.review", has_text="incident 26-555002")
        assert card.get_by_text("Needs review by a sergeant").is_visible()
        assert card.get_by_text("To check:").first.is_visible()
        assert "Vance" not in sergeant.locator("main").inner_text()  # the incident, never the person
        card.get_by_label("Approve").check()
        card.get_by_label("Reason").fill("Records check done: nothing found.")
        submit(sergeant, card.get_by_role("button", name="Record the decision"))
        assert sergeant.get_by_text(
            "Referral approved; the officer and the case manager are told."
        ).is_visible()
        assert sergeant.get_by_text("Nothing is waiting for your review.").is_visible()

        # The case manager is told of the approval and takes the hand-off from the Today page.
        visit(manager, "/notifications/")
        assert manager.get_by_text("Referral approved by a sergeant: Arrest diversion 26-555002").is_visible()
        visit(manager, "/today/")
        handoffs = section(manager, "handoffs-heading")
        assert "Rosa Vance" in handoffs.inner_text()
        submit(manager, handoffs.get_by_role("link", name="Open the hand-off"))
        submit(manager, manager.get_by_role("button", name="I am with the person now"))
        assert manager.get_by_text("within the 30-minute target").is_visible()
        assert_fits_a_phone(manager)

        # The supervisor reassigns the case; the new case manager is told at once.
        with trusted("tests"):
            case = Case.objects.get(program=browser_world.program, person__legal_last_name="Marsh")
            assert Contact.objects.filter(case=case).count() == 1
            assert Goal.objects.filter(plan__case=case).count() == 1
        second = next(u for u in _case_managers(browser_world) if u.username == "secondcm")
        visit(supervisor, f"/cases/{case.pk}/")
        supervisor.get_by_label("Case manager").select_option(value=str(second.pk))
        submit(supervisor, supervisor.get_by_role("button", name="Reassign"))
        newcomer = phone(chromium, live_server, opened)
        sign_in(newcomer, "secondcm", PASSWORD)
        assert heading(newcomer) == "Today"
        assigned = section(newcomer, "assigned-heading")
        assert "Tobias Marsh" in assigned.inner_text()
        submit(newcomer, assigned.get_by_role("link", name="Case assigned to you: Tobias Marsh"))
        assert "Marsh" in heading(newcomer)
        assert_fits_a_phone(newcomer)

        # The officer reopens the card from "My referrals": it now names the new case manager.
        visit(page, "/referrals/")
        submit(page, page.get_by_role("link", name="Hand-off card for Tobias Marsh"))
        assert str(second) in page.locator("article.handoff").inner_text()

        # The prosecutor: the consenting participant is answered; the new one (no consent) reads as no record.
        prosecutor = phone(chromium, live_server, opened)
        sign_in(prosecutor, users[Role.PROSECUTOR].username, PASSWORD)
        for last, dob in (("Lopez", "1980-05-17"), ("Marsh", "1988-02-03")):
            prosecutor.get_by_label("Last name").fill(last)
            prosecutor.get_by_label("Date of birth").fill(dob)
            submit(prosecutor, prosecutor.get_by_role("button", name="Look up"))
            result = prosecutor.locator("section.result").inner_text()
            if last == "Lopez":
                assert "Ana Lopez" in result
            else:
                assert "There is no participant record you may see" in result and "Tobias" not in result
        assert_fits_a_phone(prosecutor)
    finally:
        for context in opened:
            context.close()


def _refer_for_review(page):
    """The officer, signed in, refers a second person with the violent-history records check not done:
    the decision needs a sergeant's review, and the officer may divert now."""
    visit(page, "/referrals/")
    submit(page, page.get_by_role("link", name="New referral"))
    page.get_by_label("Last name").fill("Vance")
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Date of birth").fill("1991-06-09")
    submit(page, page.get_by_role("button", name="Next"))
    page.get_by_label("Arrest diversion").check()
    page.get_by_label("Offence").select_option("RCW 69.50.4013")
    submit(page, page.get_by_role("button", name="Next"))
    page.get_by_label("Incident number").fill("26-555002")
    page.get_by_label("Quantity (grams)").fill("1.2")
    page.get_by_label("Substance").select_option("methamphetamine")
    page.get_by_label("Where are you?").fill("Pier 4")
    for question, answer in (
        ("Does the activity exploit minors or other people?", "No"),
        ("Is the person amenable to participating?", "Yes"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Records check: Murder, arson").get_by_label("Not checked").check()
    submit(page, page.get_by_role("button", name="Check eligibility"))
    assert page.locator(".decision").inner_text().strip() == "Needs review by a sergeant"
    assert page.get_by_text("You may divert now; a sergeant confirms the open points below.").is_visible()
    submit(page, page.get_by_role("button", name="Divert and call the case manager"))
    assert heading(page) == "Hand-off card"


def _case_managers(world):
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(
            memberships__role=Role.CASE_MANAGER, memberships__program=world.program
        )
    )
