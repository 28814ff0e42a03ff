"""A critical need ("no safe place tonight") appears on the case manager's day page, with a link to the
directory's services for it; an older check, another caseload or a later 'yes' shows nothing."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.cases.actions import assessment_record
from offramp.directory.synthetic import _id, directory_demo_load
from offramp.transitions.queries import critical_needs, need_term

SHELTER = "No safe place to sleep tonight"


def check(world, case, answers, *, days_ago=0):
    manager = world.users[Role.CASE_MANAGER] if case == world.own_case else None
    actor = (
        Actor(user=manager, program=world.program, roles=frozenset({Role.CASE_MANAGER}))
        if manager
        else Actor.system("tests", program=world.program)
    )
    return assessment_record(
        actor=actor,
        case_id=case.pk,
        kind="critical",
        assessed_on=timezone.localdate(timezone=world.program.zone) - dt.timedelta(days=days_ago),
        answers={"critical_needs": answers},
    )


def day(client) -> str:
    return client.get(reverse("web:day")).content.decode()


def test_it_reads_which_answers_cannot_wait():
    found = critical_needs({"critical_needs": {"safe_tonight": "no", "food": "yes", "danger": "no"}})
    assert [label for _key, label, _words in found] == [SHELTER]
    assert critical_needs({"critical_needs": {"safe_tonight": "yes"}}) == []
    needs = [("1", "Food"), ("2", "Housing"), ("3", "Emergency shelter")]
    assert need_term(needs, ("shelter", "housing")) == ("3", "Emergency shelter")
    assert need_term(needs, ("pharmacy",)) is None


def test_it_puts_no_safe_place_tonight_on_the_day_page_with_shelters(world, login):
    directory_demo_load(world.program)
    check(world, world.own_case, {"safe_tonight": "no", "food": "yes"})
    client = login(world.users[Role.CASE_MANAGER])
    page = day(client)
    assert "Critical needs" in page
    assert f"{SHELTER} (critical-needs check" in page and "services for emergency shelter" in page
    assert "Has not eaten today" not in page
    shelter = _id("term", "Emergency shelter")
    link = reverse("transitions:referral_new", args=[world.own_case.pk]) + f"?need={shelter}"
    assert f'href="{link}"' in page
    services = client.get(link).content.decode()
    assert "Night shelter" in services and "Women&#x27;s shelter" in services
    assert "Food bank" not in services


def test_it_shows_only_the_latest_recent_check_of_the_caseload(world, login):
    check(world, world.own_case, {"safe_tonight": "no"}, days_ago=3)  # not tonight's need any more
    check(world, world.other_case, {"safe_tonight": "no"})  # another case manager's case
    assert SHELTER not in day(login(world.users[Role.CASE_MANAGER]))
    assert SHELTER in day(login(world.users[Role.CASE_SUPERVISOR]))  # the team's day page
    check(world, world.other_case, {"safe_tonight": "yes"})  # a later check: a place was found
    assert SHELTER not in day(login(world.users[Role.CASE_SUPERVISOR]))
