"""The equity audit: offers and completed intakes per group, small cells suppressed, on a printable page."""

import re

import pytest
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.programs.roles import Role
from offramp.referrals.actions import screening_run_create
from offramp.referrals.equity import Row, breakdown
from tests.referrals.screening_files import (
    ASSAULT,
    MAPPING,
    csv_bytes,
    diverted,
    project_manager,
    publish_seattle,
    row,
)


def test_it_suppresses_counts_under_the_threshold_and_rates_built_on_them():
    rows = [Row("A", 100, 40, 30), Row("B", 50, 5, 0), Row("C", 8, 8, 8), Row("D", 9, 3, 2)]
    cells = {c.group: c for c in breakdown(rows, overall=56 / 167)}
    assert (cells["A"].eligible, cells["A"].offered, cells["A"].intakes, cells["A"].rate) == (
        "100",
        "40",
        "30",
        "40.0%",
    )
    assert cells["A"].gap == "+6.5 pts"
    assert (cells["B"].offered, cells["B"].rate, cells["B"].gap) == ("<11", "suppressed", "—")
    assert cells["B"].intakes == "0"  # a zero is not a small cell: it singles no one out
    assert (cells["C"].eligible, cells["C"].rate) == ("<11", "suppressed")
    assert [c.group for c in breakdown(rows, overall=0.3)] == ["A", "B", "D", "C"]  # largest group first


def test_it_hides_a_second_cell_when_one_alone_could_be_worked_back_from_the_total():
    cells = {
        c.group: c
        for c in breakdown([Row("A", 100, 40, 30), Row("B", 60, 30, 20), Row("C", 7, 3, 1)], overall=0.4)
    }
    assert cells["C"].eligible == "<11"
    assert cells["B"].eligible == "<11"  # the next smallest, so 167 - 100 does not give C back
    assert cells["A"].eligible == "100"


def test_it_takes_the_threshold_it_is_given():
    (cell,) = breakdown([Row("A", 12, 12, 4)], overall=1.0, threshold=5)
    assert (cell.eligible, cell.intakes, cell.rate, cell.gap) == ("12", "<5", "100.0%", "+0.0 pts")


def flat(response) -> str:
    return re.sub(r">\s+<", "><", " ".join(response.content.decode().split()))


@pytest.fixture
def run(world):
    publish_seattle(world)
    black = [row(f"B-{i}", race="B", officer="Ruiz") for i in range(30)]
    white = [row(f"W-{i}", race="W", sex="F", officer="Chen") for i in range(25)]
    native = [row(f"I-{i}", race="I", officer="Chen") for i in range(4)]
    unknown = [row(f"U-{i}", race="", officer="Chen") for i in range(3)]
    ineligible = [row(f"X-{i}", statute=ASSAULT, race="W") for i in range(40)]
    diverted(world, [f"B-{i}" for i in range(18)], intake=12)
    diverted(world, [f"W-{i}" for i in range(12)], intake=11)
    diverted(world, ["I-0", "I-1", "U-0"], intake=0)
    data = csv_bytes(black + white + native + unknown + ineligible)
    made, _ = screening_run_create(
        actor=project_manager(world), source=data, file_name="2026-q1.csv", mapping_text=MAPPING
    )
    return made


def test_it_shows_rates_per_group_and_the_gap_to_the_overall_rate(world, login, run):
    assert (run.rows, run.eligible, run.diverted, run.missed) == (102, 62, 33, 29)
    client = login(world.users[Role.PROJECT_MANAGER])
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    page = flat(client.get(reverse("referrals:equity", args=[run.pk])))
    assert "overall rate of 53.2%" in page  # 33 of 62
    assert (
        '<th scope="row">All eligible arrests</th><td class="num">62</td><td class="num">33</td>'
        '<td class="num">23</td><td class="num">53.2%</td><td class="num">41.0% to 65.1%</td>'
        '<td class="num">+0.0 pts</td>'
    ) in page
    assert (
        '<th scope="row">Black or African American</th><td class="num">30</td><td class="num">18</td>'
        '<td class="num">12</td><td class="num">60.0%</td><td class="num">42.3% to 75.4%</td>'
        '<td class="num">+6.8 pts</td><td class="num">reference</td>'
    ) in page
    assert (
        '<th scope="row">White</th><td class="num">25</td><td class="num">12</td>'
        '<td class="num">11</td><td class="num">48.0%</td><td class="num">30.0% to 66.5%</td>'
        '<td class="num">-5.2 pts</td><td class="num">0.80</td><td class="num">0.48 to 1.32</td>'
    ) in page
    # 4 and 3 eligible, 2 and 1 offers: shown as "<11", and no rate that would give them back.
    assert (
        '<th scope="row">American Indian or Alaska Native</th><td class="num">&lt;11</td>'
        '<td class="num">&lt;11</td><td class="num">0</td><td class="num">suppressed</td>'
        '<td class="num">—</td><td class="num">—</td><td class="num">—</td><td class="num">—</td>'
    ) in page
    assert '<th scope="row">Not recorded</th><td class="num">&lt;11</td><td class="num">&lt;11</td>' in page
    assert '<th scope="row">Ruiz</th><td class="num">30</td><td class="num">18</td>' in page
    assert '<th scope="row">35 to 44</th><td class="num">62</td>' in page
    assert "X-1" not in page and "B-1" not in page  # no incident numbers, only counts
    entry = AuditEntry.objects.filter(pk__gt=before or 0, object_type="ScreeningRun").get()
    assert (entry.action, entry.object_id, entry.detail) == ("read", str(run.pk), {"view": "equity_audit"})


def test_it_uses_the_programs_threshold(world, login, run, settings):
    settings.SMALL_CELL = 3  # the deployment's floor (OFFRAMP_SMALL_CELL); a program may only raise it
    world.program.configuration = {**(world.program.configuration or {}), "small_cell_threshold": 3}
    world.program.save()
    page = flat(login(world.users[Role.PROJECT_MANAGER]).get(reverse("referrals:equity", args=[run.pk])))
    assert (
        '<th scope="row">American Indian or Alaska Native</th><td class="num">4</td>'
        '<td class="num">&lt;3</td><td class="num">0</td><td class="num">suppressed</td>'
    ) in page
    assert "Counts under 3 are shown" in page


def test_the_deployments_small_cell_is_the_floor(world, login, run, settings):
    settings.SMALL_CELL = 5
    world.program.configuration = {**(world.program.configuration or {}), "small_cell_threshold": 3}
    world.program.save()
    page = flat(login(world.users[Role.PROJECT_MANAGER]).get(reverse("referrals:equity", args=[run.pk])))
    assert "Counts under 5 are shown" in page and "Counts under 3" not in page
    world.program.configuration = {}
    world.program.save()
    settings.SMALL_CELL = 4  # no program threshold: the deployment's governs
    page = flat(login(world.users[Role.PROJECT_MANAGER]).get(reverse("referrals:equity", args=[run.pk])))
    assert "Counts under 4 are shown" in page


def test_it_hides_another_programs_run(world, login, run):
    assert login(world.outsider).get(reverse("referrals:equity", args=[run.pk])).status_code == 404
