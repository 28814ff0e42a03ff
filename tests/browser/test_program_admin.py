"""A project manager changes the caseload limits, the intake window and the on-call rota on the pages and
the next referral follows them; a host administrator creates a second program; a person in both switches
between them, and each sees only their program."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from offramp.access.roles import Role
from offramp.accounts.mfa import demo_totp_enrol
from offramp.programs.models import Membership, Program
from offramp.programs.rota import WEEKDAYS
from offramp.referrals.actions import protocol_publish_example
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD, make_case, make_user

pytestmark = pytest.mark.browser


def sign_out(page):
    submit(page, page.get_by_role("button", name="Sign out"))


def refer(page):
    """The officer's three screens, to the hand-off card."""
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
    submit(page, page.get_by_role("button", name="Divert and call the case manager"))
    assert heading(page) == "Hand-off card"


def test_the_next_referral_follows_the_settings_changed_on_the_page(browser_world, page):
    world = browser_world
    protocol_publish_example(program=world.program, name="seattle")
    manager = world.users[Role.CASE_MANAGER]
    make_case(
        world.program, manager=manager, first="Full", last="Load"
    )  # casemanager holds two, secondcm one

    sign_in(page, world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Program settings"))
    assert heading(page) == "Program settings"
    page.get_by_label("Caseload hard limit").fill("lots")
    submit(page, page.get_by_role("button", name="Save the settings"))
    assert page.get_by_text("Caseload hard limit: enter a whole number.").is_visible()
    page.get_by_label("Caseload warning limit").fill("2")
    page.get_by_label("Caseload hard limit").fill("2")
    page.get_by_label("Intake window (days)").fill("10")
    page.get_by_label("Intake place").fill("LEAD office, 200 Harbor Way")
    submit(page, page.get_by_role("button", name="Save the settings"))
    assert page.get_by_text("Saved: Caseload warning limit, Caseload hard limit").is_visible()
    assert page.get_by_label("Intake window (days)").input_value() == "10"

    # The rota: today, the whole day, the case manager who holds more cases (so the rota, not the
    # fewest open cases, decides). A shift with no weekday is refused and adds nothing.
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Today"))
    submit(page, page.get_by_role("link", name="On-call rota"))
    assert heading(page) == "On-call rota"
    page.get_by_label("Case manager").select_option(label=str(manager))
    submit(page, page.get_by_role("button", name="Add to the rota"))
    assert page.get_by_text("Choose the weekday of the shift.").is_visible()
    assert page.get_by_text("No shifts yet.").is_visible()
    today = timezone.localtime(timezone.now(), world.program.zone)
    page.get_by_label("Case manager").select_option(label=str(manager))
    page.get_by_label("Weekday").select_option(label=WEEKDAYS[today.weekday()])
    page.get_by_label("From").select_option(label="00:00")
    page.get_by_label("Until").select_option(label="00:00 (midnight)")
    submit(page, page.get_by_role("button", name="Add to the rota"))
    assert page.get_by_text(f"{WEEKDAYS[today.weekday()]}, all day", exact=True).is_visible()
    assert str(manager) in page.get_by_role("status").inner_text()  # on call now
    sign_out(page)

    sign_in(page, world.users[Role.OFFICER].username, PASSWORD)
    refer(page)
    card = page.locator("main").inner_text()
    due = today.date() + dt.timedelta(days=10)
    assert f"{due:%b} {due.day}, {due.year}" in card  # the ten-day window, not the protocol's thirty
    assert "LEAD office, 200 Harbor Way" in card
    assert str(manager) in card and "Secondcm" not in card  # the one on call, not the fewest open cases
    sign_out(page)

    # The overview counts the new case against the new limit of two: the case manager now holds three.
    sign_in(page, world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Program overview"))
    over = page.locator(".stats li", has_text="Over the limit of 2")
    assert over.locator(".stat__n").inner_text() == "1"
    row = page.get_by_role("row", name=str(manager))
    assert row.locator("td.over").inner_text() == "3"


def test_a_host_creates_a_second_program_and_a_person_in_both_switches(browser_world, page):
    world = browser_world
    host = make_user("host", world.program, Role.SYSTEM_ADMIN)
    get_user_model().objects.filter(pk=host.pk).update(is_host_admin=True)

    sign_in(page, "host", PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs"))
    assert heading(page) == "Programs on this site"
    submit(page, page.get_by_role("link", name="Create a program"))
    for label, value in (
        ("Program name", "North County LEAD"),
        ("Short name", "north"),
        ("Jurisdiction", "North County"),
        ("Time zone", "America/Chicago"),
        ("Project manager's first name", "Rosa"),
        ("Project manager's last name", "Quinn"),
        ("Project manager's username", "rquinn"),
        ("Project manager's email", "rquinn@example.org"),
        ("First password", "plover xylophone quarry 42"),
    ):
        page.get_by_label(label, exact=True).fill(value)
    submit(page, page.get_by_role("button", name="Create the program"))
    assert page.get_by_text(
        "North County LEAD was created; rquinn signs in as its project manager."
    ).is_visible()
    assert page.get_by_role("row", name="North County LEAD").is_visible()
    sign_out(page)

    north = Program.objects.get(slug="north")
    manager = world.users[Role.CASE_MANAGER]
    Membership.objects.create(user=manager, program=north, role=Role.CASE_MANAGER)
    make_case(north, manager=manager, first="Nora", last="Northcote")

    sign_in(page, manager.username, PASSWORD)
    visit(page, "/caseload/")
    body = page.locator("main").inner_text()
    assert "Northcote" in body and "Lopez" not in body  # North County comes first by name
    page.get_by_label("Program").select_option(label="Test County LEAD")
    submit(page, page.get_by_role("button", name="Switch program"))
    assert page.get_by_text("You are working in Test County LEAD.").is_visible()
    visit(page, "/caseload/")
    body = page.locator("main").inner_text()
    assert "Lopez" in body and "Northcote" not in body
    sign_out(page)

    # The new project manager chooses a password first, then works in North County only.
    demo_totp_enrol(get_user_model().objects.get(username="rquinn"))
    sign_in(page, "rquinn", "plover xylophone quarry 42")
    assert "/accounts/password/change/" in page.url
    mine = "wombat harbour lantern 77"
    page.locator("input[name=oldpassword]").fill("plover xylophone quarry 42")
    page.locator("input[name=password1]").fill(mine)
    page.locator("input[name=password2]").fill(mine)
    submit(page, page.locator("form button[type=submit]").last)
    visit(page, "/program/settings")
    assert heading(page) == "Program settings"
    assert "North County LEAD" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Switch program").count() == 0
    visit(page, "/program/")
    assert "Lopez" not in page.locator("main").inner_text()
