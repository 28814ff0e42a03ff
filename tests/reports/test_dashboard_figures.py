"""The dashboard's figures on a small history worked out by hand (tests/reports/dashboard_data.py)."""

import pytest
from django.utils import timezone

from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import ScreeningRun
from offramp.reports import queries
from offramp.reports.period import period_from
from tests.reports import dashboard_data


def _actor(world, role=Role.PROJECT_MANAGER):
    return Actor(user=world.users[role], program=world.program, roles=frozenset({role}))


def _figures(result, key):
    section = next(s for s in result["sections"] if s.key == key)
    return section, {label: cell.text for label, cell in section.figures}


def _rows(section):
    return {row[0]: [c if isinstance(c, str) else c.text for c in row[1:]] for row in section.table.rows}


@pytest.fixture
def dashboard(world, settings):
    settings.SMALL_CELL = 1  # the deployment's floor (OFFRAMP_SMALL_CELL); a program may only raise it
    world.program.configuration = {"small_cell_threshold": 1, "caseload_soft_limit": 5}
    world.program.save()
    dashboard_data.build(world)

    def _dashboard(**params):
        period = period_from(
            {"from": "2025-01", "to": "2025-03", **params},
            today=timezone.localdate(),
            zone=world.program.zone,
        )
        return queries.dashboard_for(_actor(world), period)

    return _dashboard


def test_it_counts_referrals_by_door_and_local_month(dashboard):
    section, figures = _figures(dashboard(), "referrals")
    assert figures == {"Arrest diversion": "3", "Social contact": "1", "Community referral": "1"}
    rows = _rows(section)
    assert rows["Jan 2025"] == ["2", "0", "0", "2"]  # 2025-02-01 05:00Z is 31 January in Denver
    assert rows["Feb 2025"] == ["1", "1", "0", "2"]
    assert rows["Mar 2025"] == ["0", "0", "1", "1"]
    assert rows["Whole period"] == ["3", "1", "1", "5"]


def test_it_filters_by_door(dashboard):
    result = dashboard(door="arrest")
    section, figures = _figures(result, "referrals")
    assert figures == {"Arrest diversion": "3"}
    assert _figures(result, "intake")[1]["Cases opened"] == "3"
    assert _figures(result, "handoffs")[1]["Hand-offs requested"] == "3"


def test_it_measures_handoffs_against_the_target(dashboard):
    section, figures = _figures(dashboard(), "handoffs")
    assert figures == {
        "Hand-offs requested": "4",
        "Arrival recorded": "3",
        "Median minutes to arrival": "20.0 minutes",
        "Within 30 minutes": "66.7%",
    }
    assert _rows(section) == {
        "0-15 minutes": ["1"],
        "15-30 minutes": ["1"],
        "30-60 minutes": ["1"],
        "60 minutes or more": ["0"],
    }


def test_it_times_referral_to_intake_and_counts_closed_windows(dashboard):
    _section, figures = _figures(dashboard(), "intake")
    assert figures == {
        "Cases opened": "5",
        "Intakes completed": "3",
        "Median days to intake": "7.0 days",
        "Intake completion rate": "60.0%",  # 3 of 5: c4's and c5's windows have closed
        "Still inside their intake window": "0",
    }


def test_it_counts_contacts_per_open_participant_and_the_wind(dashboard):
    section, figures = _figures(dashboard(), "engagement")
    assert _rows(section) == {
        "Jan 2025": ["3", "2", "1.5"],  # c1 and c6 open
        "Feb 2025": ["4", "4", "1.0"],
        "Mar 2025": ["2", "4", "0.5"],
    }
    # Open today: the world's two cases (contacts 3 days ago) and c1, c2, c3, c4, c6 (none lately).
    assert figures["Open cases today"] == "7"
    assert figures["In the wind (no successful contact in 30 days)"] == "5"
    assert figures["Share in the wind"] == "71.4%"


def test_it_sets_caseloads_against_the_limits(dashboard):
    section, figures = _figures(dashboard(), "caseloads")
    assert figures["Above the soft limit (5)"] == "1"
    assert figures["Above the hard limit (25)"] == "0"
    assert _rows(section) == {"Casemanager": ["6", "over the soft limit"]}  # only those above are named
    # Both case managers (6 and 1 open cases) fall in the 0-10 band.
    assert [(bar.label, bar.text) for bar in section.chart.bars][:2] == [
        ("0-10 open cases", "2"),
        ("11-15 open cases", "0"),
    ]


def test_it_follows_service_referrals_to_connection(dashboard):
    section, figures = _figures(dashboard(), "services")
    pending = (timezone.now() - dashboard_data.at("2025-03-01T17:00")).total_seconds() / 86400
    assert figures == {
        "Service referrals made": "3",
        "Connected": "1",
        "Share connected": "33.3%",
        "Median days to connect": "4.0 days",
        "Still pending": "1",
        "Median days pending": f"{pending:.1f} days",
    }


def test_it_compares_first_and_latest_snapshots(dashboard):
    section, figures = _figures(dashboard(), "outcomes")
    assert figures == {"Participants with two or more snapshots in the period": "2"}
    expected = ["1", "50.0%", "2", "100.0%", "+1"]
    assert _rows(section) == {
        "Permanent housing": expected,
        "On the employment continuum": expected,
        "Income or benefits": expected,
        "Current photo ID": expected,
    }


def test_it_counts_exits_and_reengagements(dashboard):
    section, figures = _figures(dashboard(), "exits")
    assert figures == {"Exits": "1", "Re-engagements": "1", "People re-engaged": "1"}
    assert _rows(section)["Intake not completed in the window"] == ["1"]
    assert _rows(section)["Goals met"] == ["0"]


def test_it_sums_screenings_into_the_eligible_but_booked_rate(world, settings):
    settings.SMALL_CELL = 1  # the deployment's floor (OFFRAMP_SMALL_CELL); a program may only raise it
    world.program.configuration = {"small_cell_threshold": 1}
    world.program.save()
    version = protocol_publish_example(program=world.program)
    with trusted("tests"):
        for rows, eligible, diverted, missed in ((100, 40, 30, 10), (50, 20, 5, 15)):
            ScreeningRun.objects.create(
                program=world.program,
                protocol_version=version,
                file_name="x.csv",
                rows=rows,
                eligible=eligible,
                diverted=diverted,
                missed=missed,
                diverted_ineligible=0,
            )
    today = timezone.localdate(timezone=world.program.zone)
    result = queries.dashboard_for(_actor(world), period_from({}, today=today, zone=world.program.zone))
    _section, figures = _figures(result, "screening")
    assert figures["Eligible arrests"] == "60"
    assert figures["Offered diversion (share of eligible)"] == "58.3%"  # 35 of 60
    assert figures["Eligible-but-booked rate"] == "41.7%"  # 25 of 60
    social = period_from({"door": "social_contact"}, today=today, zone=world.program.zone)
    assert _figures(queries.dashboard_for(_actor(world), social), "screening")[1]["Eligible arrests"] == "0"
