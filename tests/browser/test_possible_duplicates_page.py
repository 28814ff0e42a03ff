"""At 390 px a case manager finds the possible duplicates an import left on the day page, compares the two
records of each pair, confirms one (a reason first) and dismisses the other; every page is axe-checked."""

import csv
import datetime as dt

import pytest

from offramp.access.scope import Actor
from offramp.bulk.actions import program_import
from offramp.programs.roles import Role
from tests.browser.pages import heading, sign_in, submit, visit
from tests.browser.test_mobile import assert_fits_a_phone
from tests.browser.test_officer_referral import context  # noqa: F401  (the phone-sized context)
from tests.bulk.test_program_import import EXAMPLE, HEADER
from tests.conftest import PASSWORD, make_case

pytestmark = pytest.mark.browser


def _import_twins(world, folder):
    """An export listing Anna Lopez and Rosa Quil: each may be someone on the case manager's caseload."""
    cm = world.users[Role.CASE_MANAGER]
    make_case(world.program, manager=cm, first="Rosa", last="Quill", dob=dt.date(1969, 9, 9))
    rows = [
        ["X1", "Anna", "Lopez", "05/17/1980", cm.username, "Active", "01/15/2024", "", "", "", "", ""],
        ["X2", "Rosa", "Quil", "09/09/1969", cm.username, "Active", "01/15/2024", "", "", "", "", ""],
    ]
    path = folder / "caseload.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    pm = world.users[Role.PROJECT_MANAGER]
    actor = Actor(user=pm, program=world.program, roles=frozenset({Role.PROJECT_MANAGER}))
    report = program_import(actor=actor, path=path, mapping_text=EXAMPLE.read_text())
    assert report.loaded and report.links_suggested == 2


def test_a_case_manager_confirms_one_pair_and_dismisses_another(browser_world, page, tmp_path):  # noqa: F811
    _import_twins(browser_world, tmp_path)
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    assert heading(page) == "Today"
    section = page.locator("section", has=page.locator("#duplicates-heading"))
    assert section.get_by_role("heading", name="Possible duplicates (2)").is_visible()
    submit(page, section.get_by_role("link", name="Compare and decide"))
    assert heading(page) == "Possible duplicates"
    assert_fits_a_phone(page)

    anna = page.locator(".card", has=page.get_by_role("heading", name="Ana Lopez and Anna Lopez"))
    assert anna.get_by_text("Why: same date of birth; first name differs by one letter.").is_visible()
    records = anna.get_by_role("table")
    assert records.get_by_role("columnheader").count() == 2
    assert records.get_by_role("row", name="Date of birth").get_by_text("May 17, 1980").count() == 2

    submit(page, anna.get_by_role("button", name="Confirm: one person"))
    anna = page.locator(".card", has=page.get_by_role("heading", name="Ana Lopez and Anna Lopez"))
    assert "Say why these are the same person" in anna.locator(".field__error").first.inner_text()
    anna.get_by_label("Why they are one person").fill("Same state ID seen at intake")
    submit(page, anna.get_by_role("button", name="Confirm: one person"))
    assert page.get_by_text("Confirmed: the two records are linked as one person").is_visible()
    assert page.get_by_role("heading", name="Ana Lopez and Anna Lopez").count() == 0

    rosa = page.locator(".card", has=page.get_by_role("heading", name="Rosa Quill and Rosa Quil"))
    rosa.get_by_label("Why they are two people").fill("Different mothers' names")
    submit(page, rosa.get_by_role("button", name="Dismiss: two people"))
    assert page.get_by_text("Dismissed: they are two people").is_visible()
    assert page.get_by_text("No possible duplicates are waiting for review.").is_visible()
    assert_fits_a_phone(page)

    visit(page, "/")
    assert heading(page) == "Today" and page.locator("#duplicates-heading").count() == 0
