"""A case manager on a phone: critical-needs check, assessments compared and corrected, outcomes, timeline."""

import pytest

from offramp.access.scope import trusted
from offramp.cases.models import Assessment, OutcomeSnapshot
from offramp.programs.roles import Role
from tests.browser.pages import WAIT_MS, sign_in, submit, visit
from tests.browser.test_mobile import WIDTH, assert_fits_a_phone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def context(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


def answer(page, field, choice):
    """A yes/no question's radio: choice 0 is yes, 1 no, 2 no answer."""
    page.locator(f"#assess_{field}_{choice}").check()


def test_a_case_manager_assesses_and_records_outcomes_on_a_phone(browser_world, page):
    case = browser_world.own_case
    sign_in(page, browser_world.users[Role.CASE_MANAGER].username, PASSWORD)
    visit(page, f"/cases/{case.pk}/")
    submit(page, page.get_by_role("link", name="Intake and assessments"))
    assert_fits_a_phone(page)

    submit(page, page.get_by_role("link", name="Critical-needs check"))
    assert_fits_a_phone(page)
    answer(page, "critical_needs__safe_tonight", 1)
    answer(page, "critical_needs__medication", 0)
    page.get_by_label("Anything else that cannot wait").fill("Needs insulin today")
    submit(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("Critical-needs check saved.").is_visible()

    submit(page, page.get_by_role("link", name="New in-depth assessment"))
    assert_fits_a_phone(page)
    page.get_by_label("Where are you staying?").select_option("Outside or a vehicle")
    answer(page, "id_documents__state_id", 1)
    page.get_by_label("Is there anything about substance use you want to talk about?").fill("Maybe methadone")
    submit(page, page.get_by_role("button", name="Save"))
    submit(page, page.get_by_role("link", name="New in-depth assessment"))
    page.get_by_label("Where are you staying?").select_option("Shelter")
    answer(page, "id_documents__state_id", 0)
    submit(page, page.get_by_role("button", name="Save"))
    assert page.get_by_role("heading", name="Housing changed").is_visible()
    assert page.get_by_role("heading", name="Legal", exact=True).is_visible()
    assert_fits_a_phone(page)

    submit(page, page.get_by_role("link", name="Correct this in-depth assessment").first)
    assert_fits_a_phone(page)
    answer(page, "legal__warrants", 1)
    submit(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("The assessment was saved.").is_visible()
    with trusted("tests"):
        kinds = sorted(Assessment.objects.filter(case=case).values_list("kind", "version"))
        latest = Assessment.objects.filter(case=case, kind="full").order_by("-id").first()
    assert kinds == [("critical", 1), ("full", 1), ("full", 2)]
    assert latest.answers["legal"] == {"warrants": "no"}

    visit(page, f"/cases/{case.pk}/")
    submit(page, page.get_by_role("link", name="Outcomes and timeline"))
    assert page.get_by_text("This month's outcome snapshot is not recorded yet.").is_visible()
    assert_fits_a_phone(page)
    page.get_by_label("Where the participant is living").select_option("116")
    page.get_by_label("Employment", exact=True).select_option("looking")
    page.get_by_label("SNAP (food benefits)").check()
    page.get_by_label("Health insurance").select_option("medicaid")
    submit(page, page.get_by_role("button", name="Record outcomes"))
    assert page.get_by_text("Outcomes recorded.").is_visible()
    # the participant moved in: a change, with the rest prefilled from the last snapshot
    page.get_by_label("Where the participant is living").select_option("435")
    page.get_by_label("Has a current photo ID").check()
    submit(page, page.get_by_role("button", name="Record outcomes"))
    assert page.locator(".timeline").get_by_text("Outcomes: something changed").is_visible()
    assert page.locator(".timeline").get_by_text("Referred: Arrest diversion").is_visible()
    assert_fits_a_phone(page)
    with trusted("tests"):
        rows = list(
            OutcomeSnapshot.objects.filter(case=case)
            .order_by("id")
            .values_list("reason", "living_situation", "income_sources", "id_obtained")
        )
    assert rows == [("monthly", 116, ["snap"], False), ("change", 435, ["snap"], True)]


def test_a_project_manager_reads_assessments_and_the_timeline_without_part_2(browser_world, page):
    from offramp.access.scope import Actor
    from offramp.cases import actions

    case = browser_world.own_case
    manager = Actor(
        user=browser_world.users[Role.CASE_MANAGER],
        program=browser_world.program,
        roles=frozenset({Role.CASE_MANAGER}),
    )
    for day in (case.opened_at.date(), None):
        from django.utils import timezone

        actions.assessment_record(
            actor=manager,
            case_id=case.pk,
            kind="full",
            assessed_on=day or timezone.localdate(timezone=browser_world.program.zone),
            answers={"housing": {"wants_housing": "yes"}, "substance_use": {"naloxone": "no"}},
        )
    sign_in(page, browser_world.users[Role.PROJECT_MANAGER].username, PASSWORD)
    visit(page, f"/cases/{case.pk}/assessments/")
    assert page.get_by_text("Substance-use answers are not shown").is_visible()
    assert page.get_by_role("link", name="New in-depth assessment").count() == 0
    visit(page, f"/cases/{case.pk}/timeline/")
    assert page.get_by_role("button", name="Record outcomes").count() == 0
