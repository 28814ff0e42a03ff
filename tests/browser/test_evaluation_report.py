"""The evaluator opens a study report from the evaluation page; the report, the study form and the import
page pass axe-core (WCAG 2.1 AA), on a desktop and on a 390 px phone; the report reads without help
(human labels, rounded numbers, months on the time axis), prints cleanly and offers its JSON as a file."""

import re

import pytest

from offramp.analysis.synthetic import seed_evaluation
from offramp.programs.roles import Role
from tests.browser.pages import WAIT_MS, heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_evaluator_reads_a_study_report(browser_world, page):
    made = seed_evaluation(program=browser_world.program, seed=4, n_people=500)
    sign_in(page, browser_world.users[Role.EVALUATOR].username, PASSWORD)
    assert heading(page) == "Evaluation"
    submit(page, page.get_by_role("link", name="Report of"))
    assert heading(page) == made.study.name
    assert page.get_by_role("heading", name="What we found: LEAD compared with Booked as usual").is_visible()
    assert page.locator("figure.chart svg").count() == 3
    assert_reads_without_help(page)
    link = page.get_by_role("link", name="Download every estimate (JSON)")
    assert link.get_attribute("download") is not None
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".json")
    submit(page, page.get_by_role("link", name="Back to evaluation"))
    submit(page, page.get_by_role("link", name="Write a new study"))
    assert heading(page) == "New study"


def test_project_manager_opens_the_import_page(browser_world, page):
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    visit(page, "/evaluation/")
    submit(page, page.get_by_role("link", name="Import legal-system records"))
    assert heading(page) == "Import legal-system records"


def test_project_manager_reviews_a_proposed_link(browser_world, page, tmp_path):
    from offramp.access.scope import Actor
    from offramp.analysis.actions import records_import
    from offramp.analysis.synthetic import PEOPLE_MAPPING

    pm = browser_world.users[Role.PROJECT_MANAGER]
    person = browser_world.other_case.person
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
        "left_observation,months_in_program,offramp_id\n"
        f"S9,LEAD,{person.legal_first_name}n,{person.legal_last_name},{person.date_of_birth},,,,,2012-01-01,,,\n"
    )
    actor = Actor(user=pm, program=browser_world.program, roles=frozenset({Role.PROJECT_MANAGER}))
    records_import(actor=actor, path=roster, mapping_text=PEOPLE_MAPPING)
    sign_in(page, pm.username, PASSWORD)
    visit(page, "/evaluation/import")
    submit(page, page.get_by_role("link", name="Review the proposed links"))
    assert heading(page) == "Review proposed links"
    assert page.get_by_role("heading", name="Record S9 (lead)").is_visible()
    submit(page, page.get_by_role("button", name="Accept"))
    assert page.get_by_text("Accepted the link for record S9.").is_visible()
    assert page.get_by_text("No links are waiting for review.").is_visible()


RAW = re.compile(
    r"race_ethnicity|prior_arrest_|area=|offence_type|Method ipw|Estimand att|Stabilized|\d+\.\d{5,}"
)


def assert_reads_without_help(page):
    text = page.locator("main").inner_text()
    raw = sorted(set(RAW.findall(text)))
    assert not raw, f"the report shows raw names or unrounded numbers: {raw}"
    assert "Arrests in the 6 months before" in text and "Race/ethnicity: " in text
    km = page.locator("figure.chart svg", has_text="Months since the index date")
    assert km.count() == 1


def open_report(browser_world, page):
    seed_evaluation(program=browser_world.program, seed=4, n_people=500)
    sign_in(page, browser_world.users[Role.EVALUATOR].username, PASSWORD)
    submit(page, page.get_by_role("link", name="Report of"))


PHONE = 390


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": PHONE, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


def test_the_report_reads_on_a_phone_without_sideways_scrolling(browser_world, phone, live_server):
    page = phone.new_page()
    page.axe_checked = set()
    open_report(browser_world, page)  # axe runs on each page at this width
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"the report is {width}px wide on a {PHONE}px phone"
    assert_reads_without_help(page)
    # Each table row is a card on a phone, its cells labelled.
    cell = page.locator("table.stack td[data-label]").first
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"


def test_the_report_prints_without_the_site_around_it(browser_world, page):
    open_report(browser_world, page)
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.get_by_role("link", name="Back to evaluation").is_visible()
    assert page.locator("figure.chart svg").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
