"""A case manager keeps a signed form with a case and downloads it; a refused file says why. A project
manager sets a legal hold and saves a new version of the assessment questions."""

from pathlib import Path

import pytest

from offramp.programs.roles import Role
from tests.browser.pages import sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"


def test_a_case_manager_uploads_and_downloads_a_document(browser_world, page):
    case = browser_world.own_case
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, f"/cases/{case.pk}/")
    submit(page, page.get_by_role("link", name="list and upload documents"))
    page.get_by_label("File").set_input_files(
        files=[{"name": "program.exe", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 64}]
    )
    page.get_by_label("What it is").select_option("signed_form")
    submit(page, page.get_by_role("button", name="Upload"))
    assert page.get_by_text("This file is not a PDF, a PNG or JPEG image, or plain text").is_visible()
    page.get_by_label("File").set_input_files(
        files=[{"name": "intake form.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("What it is").select_option("signed_form")
    page.get_by_label("Description (optional)").fill("Intake form, signed")
    submit(page, page.get_by_role("button", name="Upload"))
    assert page.get_by_text("The document was uploaded.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="intake form.pdf").click()
    assert download.value.suggested_filename == "intake form.pdf"
    assert Path(download.value.path()).read_bytes() == PDF


def test_a_project_manager_sets_a_hold_and_saves_new_questions(browser_world, page):
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    visit(page, "/program/legal-holds/")
    page.get_by_label("Case number", exact=True).fill(str(browser_world.own_case.pk))
    page.get_by_label("What the hold is for (the litigation, request or order)").fill(
        "Records request 26-114"
    )
    submit(page, page.get_by_role("button", name="Set the hold"))
    assert page.get_by_text("The legal hold is set").is_visible()
    assert page.get_by_role("cell", name="Records request 26-114").is_visible()
    submit(page, page.get_by_role("link", name="Assessment questions"))
    page.get_by_label("Transportation", exact=True).fill("bike | Would a bicycle help? | yes_no")
    submit(page, page.get_by_role("button", name="Save as a new version"))
    assert page.get_by_text("Saved as version 1").is_visible()
    page.get_by_label("Legal", exact=True).fill("relapse | Any relapse since we last met?")
    submit(page, page.get_by_role("button", name="Save as a new version"))
    assert page.get_by_text("speaks of failure or compliance").is_visible()
