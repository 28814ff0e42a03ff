"""A project manager opens the council report page, sends two exports with a mapping that does not
read, and is told why on the form with nothing queued; axe-checked. (The background run and the stored
report are tested in tests/reports/test_council_page.py.)"""

import pytest

from offramp.access.roles import Role
from offramp.jobs.models import JobProgress
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD
from tests.reports.test_council_report import ARRESTS, MAPPING, RECORDS

pytestmark = pytest.mark.browser


def test_project_manager_is_told_why_a_mapping_is_refused(browser_world, page, tmp_path):
    bad = tmp_path / "records_mapping.toml"
    bad.write_text("this is = = not toml")
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    visit(page, "/program/council/")
    assert heading(page) == "Council report"
    page.get_by_label("Arrests from the records system (CSV)").set_input_files(str(ARRESTS))
    page.get_by_label("Column mapping of the arrests (TOML)").set_input_files(str(MAPPING))
    page.get_by_label("Legal-system records (CSV)").set_input_files(str(RECORDS))
    page.get_by_label("Column mapping of the legal records (TOML)").set_input_files(str(bad))
    submit(page, page.get_by_role("button", name="Make the report"))
    alert = page.get_by_role("alert")
    assert alert.is_visible() and "No report made, nothing stored:" in alert.inner_text()
    assert "records mapping" in alert.inner_text()
    assert not JobProgress.objects.exists()


def test_an_evaluator_finds_no_council_page(browser_world, page):
    sign_in(page, browser_world.users[Role.EVALUATOR].username, PASSWORD)
    assert visit(page, "/program/council/").status == 404
