"""A project manager opens batch screening and a screening's equity audit; both pass axe-core."""

import re

import pytest

from offramp.access.scope import Actor
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example, screening_run_create
from offramp.referrals.protocol import EXAMPLES_DIR
from tests.browser.pages import heading, sign_in, submit, visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
EXAMPLES = EXAMPLES_DIR.parent / "examples"


def test_project_manager_reads_the_equity_audit_of_a_screening(browser_world, page):
    world = browser_world
    protocol_publish_example(program=world.program, name="seattle")
    manager = world.users[Role.PROJECT_MANAGER]
    screening_run_create(
        actor=Actor(user=manager, program=world.program, roles=frozenset({Role.PROJECT_MANAGER})),
        source=EXAMPLES / "cascade_pd_arrests.csv",
        file_name="cascade_pd_arrests.csv",
        mapping_text=(EXAMPLES / "cascade_pd_mapping.toml").read_text(encoding="utf-8"),
    )
    sign_in(page, manager.username, PASSWORD)
    visit(page, "/screening/")
    assert heading(page) == "Batch screening"
    submit(page, page.get_by_role("link", name="Equity audit of cascade_pd_arrests.csv"))
    assert heading(page) == "Equity audit: cascade_pd_arrests.csv"
    assert page.get_by_role("heading", name="Officer", exact=True).is_visible()
    assert page.get_by_role("heading", name="Officers below their peers").is_visible()
    # One chart per breakdown, each an image named by its title and description.
    assert page.get_by_role("img", name=re.compile("^Diversion rate by ")).count() == 8
    assert page.get_by_role("img", name=re.compile("^Diversion rate by shift")).is_visible()
    assert page.get_by_role("cell", name="<11").count() > 0
