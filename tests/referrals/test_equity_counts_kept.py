"""A screening run keeps its equity group counts for the day: the kept counts equal a fresh count, the
page shows when they were counted, and the next day's first view counts again (intakes done since)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offramp.access.scope import trusted
from offramp.cases.models import Case
from offramp.programs.roles import Role
from offramp.referrals import equity_counts
from offramp.referrals.actions import screening_run_create
from offramp.referrals.models import ScreeningRun
from tests.referrals.screening_files import (
    MAPPING,
    csv_bytes,
    diverted,
    project_manager,
    publish_seattle,
    row,
)
from tests.referrals.test_equity_audit import flat


@pytest.fixture
def run(world):
    publish_seattle(world)
    rows = [row(f"E-{i}", race="BWI"[i % 3], sex="MF"[i % 2], officer=f"Officer {i % 4}") for i in range(90)]
    diverted(world, [f"E-{i}" for i in range(30)], intake=10)
    made, _ = screening_run_create(
        actor=project_manager(world), source=csv_bytes(rows), file_name="kept.csv", mapping_text=MAPPING
    )
    return made


def _fresh(world, run) -> dict:
    with trusted("tests"):
        return equity_counts.group_counts(equity_counts.run_arrests(project_manager(world), run))


def _kept(run) -> dict:
    with trusted("tests"):
        return ScreeningRun.objects.get(pk=run.pk).equity_counts


def test_the_counts_kept_on_the_run_equal_a_fresh_count(world, login, run):
    client = login(world.users[Role.PROJECT_MANAGER])
    assert _kept(run) == {}
    page = client.get(reverse("referrals:equity", args=[run.pk]))
    assert page.status_code == 200
    kept = _kept(run)
    fresh = _fresh(world, run)
    assert kept["overall"] == fresh["overall"] == [90, 30, 10]
    assert {field: sorted(rows) for field, rows in kept["dimensions"].items()} == {
        field: sorted(rows) for field, rows in fresh["dimensions"].items()
    }
    assert kept["on"] == timezone.localdate(timezone=world.program.zone).isoformat()
    assert "counted at <time" in page.content.decode()


def test_intakes_done_later_show_on_the_next_days_first_view(world, run):
    pm = project_manager(world)
    now = timezone.now()
    with trusted("tests"):
        first = equity_counts.run_counts(pm, run, now=now)
        Case.objects.filter(program=world.program, intake_completed_at__isnull=True).update(
            intake_completed_at=now
        )
        same_day = equity_counts.run_counts(pm, ScreeningRun.objects.get(pk=run.pk), now=now)
        next_day = equity_counts.run_counts(
            pm, ScreeningRun.objects.get(pk=run.pk), now=now + dt.timedelta(days=1)
        )
    assert first["overall"] == same_day["overall"] == [90, 30, 10]  # kept for the day
    assert next_day["overall"] == [90, 30, 30] == _fresh(world, run)["overall"]
    assert _kept(run)["counted_at"] == (now + dt.timedelta(days=1)).isoformat()


def test_small_cells_are_suppressed_with_the_threshold_of_the_moment(world, login, run, settings):
    settings.SMALL_CELL = 11
    client = login(world.users[Role.PROJECT_MANAGER])
    url = reverse("referrals:equity", args=[run.pk])
    overall = '<th scope="row">All eligible arrests</th><td class="num">90</td><td class="num">30</td>'
    assert overall + '<td class="num">&lt;11</td>' in flat(client.get(url))  # 10 intakes: a small cell
    settings.SMALL_CELL = 3
    world.program.configuration = {**(world.program.configuration or {}), "small_cell_threshold": 3}
    world.program.save()
    assert overall + '<td class="num">10</td>' in flat(client.get(url))  # the kept counts are raw
