"""The evaluator opens a study report from the evaluation page; the report, the study form and the import
page pass axe-core (WCAG 2.1 AA)."""

import pytest

from offramp.access.roles import Role
from offramp.analysis.synthetic import seed_evaluation
from tests.browser.pages import heading, sign_in, submit, visit
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
    assert page.get_by_role("link", name="Every estimate as JSON").is_visible()
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
