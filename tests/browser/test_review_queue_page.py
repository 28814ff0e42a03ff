"""At 390 px a sergeant opens the review queue from the navigation, declines a referral with a reason,
and the officer reads the outcome on "My referrals"; every page is axe-checked."""

import datetime as dt

import pytest

from offramp.access.scope import Actor
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example, referral_divert
from offramp.referrals.referral_facts import ReferralDraft
from tests.browser.pages import heading, sign_in, submit, visit
from tests.browser.test_mobile import assert_fits_a_phone
from tests.browser.test_officer_referral import context  # noqa: F401  (the phone-sized context)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _waiting_referral(world):
    """An arrest diversion with the records check not yet done: Seattle's sergeant reviews it."""
    protocol_publish_example(program=world.program, name="seattle")
    officer = world.users[Role.OFFICER]
    actor = Actor(user=officer, program=world.program, roles=frozenset({Role.OFFICER}))
    draft = ReferralDraft(
        first_name="Tobias",
        last_name="Marsh",
        date_of_birth=dt.date(1988, 2, 3),
        door="arrest",
        statute="RCW 69.50.4013",
        quantity_grams=1.0,
        incident_number="26-888001",
        location="Harbor Park",
        flags={"exploits_minors": False, "amenable": True},
        history={"violent": ""},
    )
    return referral_divert(actor=actor, draft=draft, idempotency_key="browser-review", match="")


def test_a_sergeant_declines_a_referral_and_the_officer_reads_why(browser_world, page, context):  # noqa: F811
    referral = _waiting_referral(browser_world)
    assert referral.decision_review_by == "sergeant"
    sign_in(page, browser_world.users[Role.SERGEANT].username, PASSWORD)
    nav = page.locator("#main-nav")
    if page.get_by_role("button", name="Menu").count():
        page.get_by_role("button", name="Menu").click()
    submit(page, nav.get_by_role("link", name="Review queue"))
    assert heading(page) == "Review queue"
    assert_fits_a_phone(page)
    card = page.locator(f"#review-{referral.pk}")
    assert card.get_by_text("To check:").first.is_visible()
    assert card.get_by_text("The criminal history has not been checked").is_visible()
    assert page.get_by_text("Marsh").count() == 0  # the incident, never the person

    card.get_by_label("Decline").check()
    submit(page, card.get_by_role("button", name="Record the decision"))
    error = page.locator(f"#review-{referral.pk}").get_by_role("alert")
    assert "Give the reason for declining" in error.inner_text()
    card = page.locator(f"#review-{referral.pk}")
    card.get_by_label("Decline").check()
    card.get_by_label("Reason").fill("Open warrant found on the records check.")
    submit(page, card.get_by_role("button", name="Record the decision"))
    assert page.get_by_text("Referral declined; the officer and the case manager are told.").is_visible()
    assert page.get_by_text("Nothing is waiting for your review.").is_visible()
    assert_fits_a_phone(page)

    officer = context.browser.new_context(
        base_url=page.url.split("/referrals")[0], viewport={"width": 390, "height": 844}
    )
    officer_page = officer.new_page()
    officer_page.axe_checked = set()
    sign_in(officer_page, browser_world.users[Role.OFFICER].username, PASSWORD)
    visit(officer_page, "/referrals/")
    assert officer_page.get_by_text(
        "Declined on review: Open warrant found on the records check."
    ).is_visible()
    visit(officer_page, "/notifications/")
    assert officer_page.get_by_text(
        "Referral declined by a sergeant: Arrest diversion 26-888001"
    ).is_visible()
    officer.close()
