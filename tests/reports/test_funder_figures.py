"""The funder's quarterly measures on the small history of tests/reports/dashboard_data.py, worked out
by hand, and the edges of a calendar quarter in the program's time zone (America/Denver)."""

import datetime as dt

import pytest

from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Status
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import Door, ScreeningRun
from offramp.reports import funder
from offramp.reports.measures import MEASURES
from offramp.reports.period import FilterError
from offramp.reports.quarter import ERR_QUARTER, quarter_from
from tests.reports import dashboard_data


def _report(world, quarter="2025-Q1"):
    actor = Actor(
        user=world.users[Role.PROJECT_MANAGER], program=world.program, roles=frozenset({Role.PROJECT_MANAGER})
    )
    name, period = quarter_from({"quarter": quarter}, today=dt.date(2026, 1, 5), zone=world.program.zone)
    return funder.funder_report_for(actor, name, period)


def _values(report):
    return {a.measure.number: a.text for a in report["answers"]}


@pytest.fixture
def small_cells_off(world, settings):
    settings.SMALL_CELL = 1
    world.program.configuration = {"small_cell_threshold": 1}
    world.program.save()


def test_it_answers_every_held_measure_by_hand(world, small_cells_off):
    dashboard_data.build(world)
    version = protocol_publish_example(program=world.program)
    with trusted("tests"):
        run = ScreeningRun.objects.create(
            program=world.program,
            protocol_version=version,
            file_name="x.csv",
            rows=100,
            eligible=40,
            diverted=30,
            missed=10,
            diverted_ineligible=0,
        )
        ScreeningRun.objects.filter(pk=run.pk).update(created_at=dashboard_data.at("2025-02-10T17:00"))
    values = _values(_report(world))
    assert values == {
        "D1": "100",
        "D2": "40",
        "D3": "30",
        "D4": "10",
        "D5": "3",  # c1, c2 (31 January in Denver), c3
        "D6": "1",  # c4
        "D7": "1",  # c5
        "D8": "4",  # c1-c4 asked for a hand-off
        "D9": "66.7%",  # 10 and 20 minutes of the three arrivals (10, 20, 40)
        "D10": "3",  # c1, c2, c3
        "D11": "60.0%",  # 3 completed of 5 whose windows closed (c4 past due, c5 exited)
        "D12": "7.0 days",  # 3, 7, 11
        "D13": "7",  # today: c1-c4 and c6 (c5 exited), and the two open cases every test world has
        "D14": "3",
        "D15": "1",
        "D16": "2",  # c1 (410) and c2 (435) at their latest snapshot
        "D17": "2",  # part-time and looking
        "D18": "1",  # c5
        **{m.number: funder.NOT_HELD for m in MEASURES if not m.held},
    }


def test_it_names_every_measure_it_does_not_hold_with_a_reason():
    missing = [m for m in MEASURES if not m.held]
    assert {m.number for m in missing} == {"D19", "D20", "D21", "D22", "D23", "D24", "D25", "D26"}
    assert all(m.note.startswith("Not held: ") and len(m.note) > 30 for m in missing)
    assert len({m.number for m in MEASURES}) == len(MEASURES)


def _referral_at(world, n, when):
    with trusted("tests"):
        dashboard_data._case(world.program, None, n, Door.SOCIAL_CONTACT, when, status=Status.REFERRED)


def test_it_counts_to_the_last_local_minute_of_the_quarter_and_no_further(world, small_cells_off):
    # Denver is UTC-7 on 1 January (MST) and UTC-6 on 1 April (MDT).
    _referral_at(world, 1, "2025-01-01T06:59")  # 31 December 23:59: the fourth quarter of 2024
    _referral_at(world, 2, "2025-01-01T07:00")  # 1 January 00:00: the first quarter
    _referral_at(world, 3, "2025-04-01T05:59")  # 31 March 23:59: the first quarter
    _referral_at(world, 4, "2025-04-01T06:00")  # 1 April 00:00: the second quarter
    assert _values(_report(world, "2024-Q4"))["D6"] == "1"
    assert _values(_report(world, "2025-Q1"))["D6"] == "2"
    assert _values(_report(world, "2025q2"))["D6"] == "1"


def test_it_reads_a_quarter_or_takes_the_last_complete_one(world):
    zone = world.program.zone
    assert quarter_from({}, today=dt.date(2025, 1, 15), zone=zone)[0] == "2024-Q4"
    name, period = quarter_from({}, today=dt.date(2025, 8, 1), zone=zone)
    assert name == "2025-Q2" and (period.first, period.last) == (dt.date(2025, 4, 1), dt.date(2025, 6, 1))
    assert period.end_date == dt.date(2025, 7, 1)
    for bad in ("2025-Q5", "2025", "Q1-2025", "2025-Q1; drop"):
        with pytest.raises(FilterError, match=ERR_QUARTER.split(":")[0]):
            quarter_from({"quarter": bad}, today=dt.date(2025, 1, 15), zone=zone)
