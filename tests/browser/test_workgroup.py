"""A project manager runs a workgroup meeting; a supervisor reads it in full; an officer sees their part."""

import pytest

from offramp.programs.roles import Role
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD, make_case
from tests.workgroup.conftest import police_consent

pytestmark = pytest.mark.browser

DISCUSSION = "Sleeping near the river; wants a detox bed"


def sign_out(page):
    submit(page, page.get_by_role("button", name="Sign out"))


def test_a_workgroup_meeting_from_agenda_to_action_item_done(browser_world, page):
    world = browser_world
    wyn = make_case(
        world.program, manager=world.users[Role.CASE_MANAGER], first="Wyn", last="Wind", contacts=0
    )
    police_consent(world.program, wyn)  # what lets the officer see Wyn on the agenda
    make_case(
        world.program,
        manager=world.users[Role.CASE_MANAGER],
        first="Quinn",
        last="Quiet",
        contacts=0,
        consent=False,
    )

    sign_in(page, world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    submit(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Workgroup"))
    assert heading(page) == "Workgroup"
    submit(page, page.get_by_role("button", name="Create meeting and agenda"))
    assert heading(page).startswith("Workgroup meeting")
    assert page.get_by_role("heading", name="In the wind (2)").is_visible()

    # One item's record forms at a time: a full agenda is not a few hundred forms.
    assert page.get_by_role("button", name="Save discussion").count() == 0
    wyn = page.locator("article.agenda-item", has_text="Wyn Wind")
    submit(page, wyn.get_by_role("link", name="Record for Wyn Wind"))
    assert page.get_by_role("button", name="Save discussion").count() == 1
    wyn.get_by_label("Discussion").fill(DISCUSSION)
    submit(page, wyn.get_by_role("button", name="Save discussion"))
    wyn = page.locator("article.agenda-item", has_text="Wyn Wind")
    submit(page, wyn.get_by_role("link", name="Record for Wyn Wind"))
    assert wyn.get_by_label("Discussion").input_value() == DISCUSSION
    wyn.get_by_label("Decision").fill("Outreach team to check the river camp")
    submit(page, wyn.get_by_role("button", name="Record decision"))
    add = page.locator("#add-heading + form")
    add.get_by_label("About").select_option(label="Wyn Wind: In the wind")
    add.get_by_label("Who").select_option(label="Officer")
    add.get_by_label("What is asked of them").fill("Tell the case manager if you see Wyn")
    submit(page, add.get_by_role("button", name="Add action item"))
    assert page.get_by_text("Action item added.").is_visible()
    agenda_url = page.url.split("#")[0]

    add = page.locator("#add-heading + form")
    add.get_by_label("About").select_option(label="Quinn Quiet: In the wind")
    add.get_by_label("Who").select_option(label="Officer")
    add.get_by_label("What is asked of them").fill("Look for Quinn")
    submit(page, add.get_by_role("button", name="Add action item"))  # no consent: refused, and said why
    assert page.get_by_role("alert").filter(has_text="may not see this participant").is_visible()

    wyn = page.locator("article.agenda-item", has_text="Wyn Wind")
    submit(page, wyn.get_by_role("link", name="Record for Wyn Wind"))
    assert page.get_by_role("button", name="Save discussion").is_visible()
    page.emulate_media(media="print")  # the printed agenda: no forms, no navigation
    assert not page.get_by_role("button", name="Save discussion").is_visible()
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert page.locator("p.discussion").filter(has_text=DISCUSSION).is_visible()
    page.emulate_media(media="screen")
    sign_out(page)

    sign_in(page, world.users[Role.CASE_SUPERVISOR].username, PASSWORD)
    visit(page, agenda_url)
    assert page.get_by_text(DISCUSSION).is_visible()
    assert page.get_by_text("Outreach team to check the river camp").is_visible()
    assert page.get_by_role("button", name="Save discussion").count() == 0  # supervisors attend, do not run
    sign_out(page)

    sign_in(page, world.users[Role.OFFICER].username, PASSWORD)
    visit(page, agenda_url)
    body = page.locator("main").inner_text()
    assert "Wyn Wind" in body and "Tell the case manager if you see Wyn" in body
    assert DISCUSSION not in body and "river camp" not in body and "Quinn" not in body
    visit(page, "/workgroup/actions/")
    assert heading(page) == "My action items"
    submit(page, page.get_by_role("button", name="Mark done: Tell the case manager if you see Wyn"))
    assert page.get_by_text("Marked done.").is_visible()
    assert page.locator(".done").first.is_visible()
