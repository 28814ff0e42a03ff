"""The on-call rota: who takes a new hand-off by weekday and hour, with a fallback, never an account
nobody can sign in to; supervisors and the project manager edit it on a page, audited."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.cases.actions.rota import ERR_WHO, oncall_shift_add
from offramp.programs import rota
from offramp.programs.models import OnCallShift
from offramp.referrals.actions import on_call_case_manager
from tests.conftest import make_user

DENVER = zoneinfo.ZoneInfo("America/Denver")
# Wednesday 2 December 2026, in the test program's zone.
WED_10 = dt.datetime(2026, 12, 2, 10, 0, tzinfo=DENVER)
WED_23 = dt.datetime(2026, 12, 2, 23, 30, tzinfo=DENVER)
THU_05 = dt.datetime(2026, 12, 3, 5, 59, tzinfo=DENVER)
THU_06 = dt.datetime(2026, 12, 3, 6, 0, tzinfo=DENVER)


def test_it_covers_day_and_overnight_shifts():
    day = rota.Shift(user_id=1, weekday=2, start_hour=8, end_hour=17)
    night = rota.Shift(user_id=2, weekday=2, start_hour=22, end_hour=6)
    assert rota.covers(day, WED_10) and not rota.covers(day, WED_23)
    assert rota.covers(night, WED_23) and rota.covers(night, THU_05)
    assert not rota.covers(night, THU_06) and not rota.covers(night, WED_10)
    assert not rota.covers(day, dt.datetime(2026, 12, 2, 17, 0, tzinfo=DENVER))  # the end hour is outside


def test_each_shift_reads_as_its_hours():
    assert (
        rota.describe(rota.Shift(user_id=1, weekday=2, start_hour=8, end_hour=17))
        == "Wednesday 08:00 to 17:00"
    )
    assert rota.describe(rota.Shift(user_id=1, weekday=2, start_hour=22, end_hour=6)) == (
        "Wednesday 22:00 to 06:00 (overnight)"
    )
    assert rota.describe(rota.Shift(user_id=1, weekday=2, start_hour=0, end_hour=24)) == "Wednesday, all day"


def test_it_answers_the_fallback_only_when_no_shift_covers_the_time():
    shifts = [
        rota.Shift(user_id=1, weekday=2, start_hour=8, end_hour=17),
        rota.Shift(user_id=3, weekday=None, fallback=True),
    ]
    assert rota.on_call(shifts, WED_10) == ([1], False)
    assert rota.on_call(shifts, WED_23) == ([3], True)
    assert rota.on_call([], WED_10) == ([], True)


def shift(program, user, **kw):
    return OnCallShift.objects.create(program=program, user=user, **kw)


def test_it_routes_to_whoever_is_on_call_now_and_to_the_fallback_after_hours(world):
    day_cm = world.users[Role.CASE_MANAGER]
    night_cm = make_user("nightcm", world.program, Role.CASE_MANAGER)
    shift(world.program, day_cm, weekday=2, start_hour=8, end_hour=17)
    shift(world.program, night_cm, fallback=True, weekday=None)
    assert on_call_case_manager(world.program, WED_10) == day_cm
    assert on_call_case_manager(world.program, WED_23) == night_cm


def test_it_never_routes_to_an_account_nobody_can_sign_in_to(world):
    ghost = make_user("ghostcm", world.program, Role.CASE_MANAGER)
    ghost.set_unusable_password()  # as the demo's numbered case managers: no login
    ghost.save()
    locked = make_user("lockedcm", world.program, Role.CASE_MANAGER)
    locked.locked_at = WED_10
    locked.save()
    shift(world.program, ghost, weekday=2, start_hour=0, end_hour=24)
    shift(world.program, locked, weekday=2, start_hour=0, end_hour=24)
    chosen = on_call_case_manager(world.program, WED_10)
    assert chosen is not None and chosen not in (ghost, locked)
    # With nobody on the rota who can sign in, any case manager who can is chosen, fewest open cases first.
    assert chosen.username == "secondcm" or chosen == world.users[Role.CASE_MANAGER]


def test_it_splits_a_shared_shift_by_the_fewest_open_cases(world):
    cm = world.users[Role.CASE_MANAGER]  # one open case in the world
    fresh = make_user("freshcm", world.program, Role.CASE_MANAGER)  # none
    shift(world.program, cm, weekday=2, start_hour=8, end_hour=17)
    shift(world.program, fresh, weekday=2, start_hour=8, end_hour=17)
    assert on_call_case_manager(world.program, WED_10) == fresh


def test_a_supervisor_edits_the_rota_on_its_page_and_each_change_is_audited(world, login):
    client = login(world.users[Role.CASE_SUPERVISOR])
    cm = world.users[Role.CASE_MANAGER]
    page = client.get(reverse("cases:oncall"))
    assert page.status_code == 200 and "On-call rota" in page.content.decode()
    response = client.post(
        reverse("cases:oncall"), {"user_id": cm.pk, "weekday": "2", "start_hour": "22", "end_hour": "6"}
    )
    assert response.status_code == 302
    added = OnCallShift.objects.get(program=world.program)
    assert (added.user, added.weekday, added.start_hour, added.end_hour) == (cm, 2, 22, 6)
    assert "Wednesday 22:00 to 06:00 (overnight)" in client.get(reverse("cases:oncall")).content.decode()
    assert AuditEntry.objects.filter(
        action="create", object_type="OnCallShift", object_id=str(added.pk)
    ).exists()
    client.post(reverse("cases:oncall_remove", args=[added.pk]))
    assert not OnCallShift.objects.exists()
    assert AuditEntry.objects.filter(
        action="delete", object_type="OnCallShift", object_id=str(added.pk)
    ).exists()


def test_bad_shifts_are_refused_with_the_field_named_and_nothing_changes(world, login):
    client = login(world.users[Role.CASE_SUPERVISOR])
    ghost = make_user("ghost2", world.program, Role.CASE_MANAGER)
    ghost.set_unusable_password()
    ghost.save()
    no_day = client.post(
        reverse("cases:oncall"),
        {"user_id": world.users[Role.CASE_MANAGER].pk, "start_hour": "8", "end_hour": "17"},
    )
    assert no_day.status_code == 400 and "Choose the weekday of the shift." in no_day.content.decode()
    actor = Actor(
        user=world.users[Role.CASE_SUPERVISOR], program=world.program, roles=frozenset({Role.CASE_SUPERVISOR})
    )
    with pytest.raises(Exception) as refused:
        oncall_shift_add(actor=actor, user_id=ghost.pk, weekday=2)
    assert ERR_WHO in str(refused.value)
    assert not OnCallShift.objects.exists()


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.OFFICER, Role.PROSECUTOR, Role.EVALUATOR])
def test_only_supervisors_and_the_project_manager_open_the_rota(world, login, role):
    client = login(world.users[role])
    assert client.get(reverse("cases:oncall")).status_code == 404
    assert (
        client.post(
            reverse("cases:oncall"), {"user_id": world.users[Role.CASE_MANAGER].pk, "weekday": "1"}
        ).status_code
        == 404
    )
    assert not OnCallShift.objects.exists()


def test_the_project_manager_sets_who_is_on_call_and_the_next_hand_off_follows(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    assert client.get(reverse("cases:oncall")).status_code == 200
    night_cm = make_user("nightcm", world.program, Role.CASE_MANAGER)
    answer = client.post(
        reverse("cases:oncall"),
        {"user_id": night_cm.pk, "start_hour": "0", "end_hour": "24", "fallback": "on"},
    )
    assert answer.status_code == 302
    assert on_call_case_manager(world.program, WED_23) == night_cm
    entry = AuditEntry.objects.filter(object_type="OnCallShift").latest("id")
    assert entry.actor == world.users[Role.PROJECT_MANAGER]


def test_case_managers_sort_by_name_as_people_read_it(world, login):
    from tests.conftest import make_user as new_user

    for n in (10, 2, 11, 1):
        user = new_user(f"cm{n}", world.program, Role.CASE_MANAGER)
        user.first_name, user.last_name = "Case", f"Manager {n}"
        user.save()
    page = login(world.users[Role.CASE_SUPERVISOR]).get(reverse("cases:detail", args=[world.own_case.pk]))
    body = page.content.decode()
    positions = [body.index(f"Case Manager {n}") for n in (1, 2, 10, 11)]
    assert positions == sorted(positions)


def test_another_programs_shift_is_not_found_and_the_refusal_is_audited(world, login):
    theirs = OnCallShift.objects.create(
        program=world.other_program, user=world.outsider, weekday=1, start_hour=8
    )
    client = login(world.users[Role.CASE_SUPERVISOR])
    assert client.post(reverse("cases:oncall_remove", args=[theirs.pk])).status_code == 404
    assert OnCallShift.objects.filter(pk=theirs.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="OnCallShift", object_id=str(theirs.pk), outcome=AuditEntry.Outcome.NOT_FOUND
    ).exists()
