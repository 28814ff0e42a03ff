"""The demo's day: its case manager login is on call and receives the officer's referrals; a workgroup
meeting (with the case manager's action items) and a screening run with an equity audit are seeded."""

from django.urls import reverse

from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.demo.day import demo_day_seed
from offramp.demo.generator import DEMO_ACCOUNTS, seed_program
from offramp.demo.logins import demo_logins_enable
from offramp.programs.models import OnCallShift
from offramp.referrals.actions import on_call_case_manager
from offramp.referrals.models import ScreeningRun
from offramp.workgroup.models import ActionItem, Meeting


def test_the_demo_case_manager_is_on_call_and_every_page_has_content(db, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    program = seed_program(people=200, seed=3).program
    demo_day_seed(program)
    demo_day_seed(program)  # a second start adds nothing
    demo_logins_enable("lead-test-demo")

    (shift,) = OnCallShift.objects.filter(program=program)
    assert shift.fallback and shift.user.username == DEMO_ACCOUNTS[Role.CASE_MANAGER][0]
    assert on_call_case_manager(program).username == DEMO_ACCOUNTS[Role.CASE_MANAGER][0]
    with trusted("tests"):
        assert Meeting.objects.filter(program=program).count() == 1
        actions = ActionItem.objects.filter(program=program, owner=shift.user)
        assert actions.count() == 2
        (run,) = ScreeningRun.objects.filter(program=program)
    # Each diverted arrest is in the export with two that were not diverted; all are matched or missed.
    assert run.rows % 3 == 0 and run.diverted + run.diverted_ineligible == run.rows // 3 > 0
    assert run.missed > 0

    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client.force_login(users.get(username=DEMO_ACCOUNTS[Role.CASE_MANAGER][0]))
    today = client.get(reverse("web:day")).content.decode()
    assert "Bring the shelter bed numbers to the next meeting" in today
    client.force_login(users.get(username=DEMO_ACCOUNTS[Role.PROJECT_MANAGER][0]))
    equity = client.get(reverse("referrals:equity", args=[run.pk]))
    assert equity.status_code == 200 and "Diversion rate by" in equity.content.decode()
