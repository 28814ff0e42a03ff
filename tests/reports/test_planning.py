"""Planning a site: figures against hand computations on a small file, the command on the shipped
example, the page with every assumption editable, bad input named and nothing planned."""

import json
import math

import pytest
from django.core.management import CommandError, call_command

from offramp.access.roles import Role
from offramp.planning import model
from offramp.planning.arrests import count_arrests
from offramp.planning.inputs import EXAMPLE_ARRESTS
from offramp.referrals.protocol import example

# One year (1 January to 31 December 2025: 365 days). Seattle's protocol: possession under 3 g,
# theft and trespass are eligible; 3.0 g (not under 3), assault and a 17-year-old are not.
HEADER = b"incident_number,statute,offence_description,incident_date,incident_time,person_id,"
SMALL = (
    HEADER
    + b"""quantity_grams,substance,age,area
1,RCW 69.50.4013,Possession,2025-01-01,08:00,A,0.5,heroin,30,North
2,RCW 69.50.4013,Possession,2025-03-01,16:00,A,1.0,heroin,30,North
3,RCW 69.50.4013,Possession,2025-04-01,23:30,B,3.0,heroin,40,North
4,RCW 9A.56.050,Theft 3,2025-05-01,09:00,C,,,25,South
5,RCW 9A.56.050,Theft 3,2025-06-01,10:00,D,,,50,South
6,RCW 9A.36.021,Assault 2,2025-07-01,11:00,E,,,35,South
7,RCW 9A.52.080,Trespass 2,2025-08-01,02:00,F,,,17,South
8,RCW 9A.52.080,Trespass 2,2025-12-31,15:30,C,,,25,North
"""
)


def _counts():
    return count_arrests(SMALL, example("seattle"), file="small.csv")


def test_it_counts_eligible_arrests_and_people_by_offence_area_and_shift():
    counts = _counts()
    assert (counts.rows, counts.days, counts.eligible, counts.people) == (
        8,
        365,
        5,
        3,
    )  # arrests 1, 2, 4, 5, 8
    by = {key: {g.name: (g.eligible, g.people) for g in groups} for key, groups in counts.groups.items()}
    assert by["offence"] == {
        "RCW 69.50.4013 Possession": (2, 1),
        "RCW 9A.56.050 Theft 3": (2, 2),
        "RCW 9A.52.080 Trespass 2": (1, 1),
    }
    assert by["area"] == {"North": (3, 2), "South": (2, 2)}
    # Shifts from the arrest time (Day 07:00, Evening 15:00, Night 23:00).
    assert by["shift"] == {"Day": (3, 3), "Evening": (2, 2)}


def test_it_plans_staff_cost_and_effects_by_hand():
    given = model.assumptions({"offer_rate": "0.5", "acceptance_rate": 0.8, "months_in_program": 6})
    result = model.plan(eligible_arrests=5, eligible_people=3, given=given)
    assert result.referrals == pytest.approx(2.0)  # 5 x 0.5 x 0.8
    assert result.new_participants == pytest.approx(1.2)  # 3 x 0.5 x 0.8
    assert result.participants == pytest.approx(0.6)  # six months each
    assert (result.case_managers, result.supervisors) == (1, 1)
    # (85,000 + 105,000 + 120,000 + 0.6 x 3,000) x 1.15
    assert result.cost == pytest.approx(311_800 * 1.15)
    # Baseline 0.6 (odds 1.5); odds ratio 0.42 gives odds 0.63, risk 0.63 / 1.63.
    assert result.rearrests_avoided.high == pytest.approx(1.2 * (0.6 - 0.63 / 1.63))
    weak = math.sqrt(0.42) * 1.5
    assert result.rearrests_avoided.low == pytest.approx(1.2 * (0.6 - weak / (1 + weak)), abs=1e-3)
    assert (result.bookings_avoided.low, result.bookings_avoided.high) == pytest.approx((0.42, 0.84))
    assert (result.jail_days_avoided.low, result.jail_days_avoided.high) == pytest.approx((11.7, 24.6))


def test_it_needs_case_managers_at_twenty_and_refuses_a_caseload_above_25():
    given = model.assumptions({"offer_rate": 1, "acceptance_rate": 1})
    assert model.plan(eligible_arrests=41, eligible_people=41, given=given).case_managers == 3  # 41 / 20
    with pytest.raises(model.AssumptionError) as refused:
        model.assumptions({"caseload": "30", "offer_rate": "half", "bookings_low": 2})
    assert refused.value.messages == [
        "offer_rate: expected a number, got 'half'",
        "caseload: must be from 1 to 25",
        "bookings: the low end of the range must not be above the high end",
    ]


def test_the_command_writes_the_brief_and_json_for_the_example_city(tmp_path, capsys):
    call_command("plan-site", arrests=str(EXAMPLE_ARRESTS), protocol="seattle", out=str(tmp_path))
    figures = json.loads((tmp_path / "plan.json").read_text())
    counts = count_arrests(EXAMPLE_ARRESTS, example("seattle"), file=EXAMPLE_ARRESTS.name)
    assert figures["eligible_in_file"] == {"arrests": counts.eligible, "people": counts.people}
    assert figures["plan"]["case_managers"] == math.ceil(counts.people * 0.35 / 20)
    assert figures["assumptions"]["rearrest_or_high"]["source"].startswith(
        "Collins, Lonczak & Clifasefi 2017"
    )
    html = (tmp_path / "brief.html").read_text()
    assert "What a LEAD program would take" in html and "Every assumption" in html
    assert "Case managers at a caseload of 20" in capsys.readouterr().out


def test_the_command_names_a_bad_cell_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(SMALL.replace(b"2025-05-01", b"2025-05-99"))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CommandError, match=r"No plan written: .*line 5.*incident_date"):
        call_command("plan-site", arrests=str(bad), protocol="seattle", out=str(out))
    assert list(out.iterdir()) == []


def test_the_page_plans_the_example_and_recomputes_with_edited_assumptions(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    first = client.get("/planning/?example=1")
    assert first.status_code == 200
    token = first.context["outcome"].token
    assert "Case managers at a caseload of 20" in first.content.decode()
    again = client.post(
        "/planning/", {"counts": token, "caseload": "10", "offer_rate": "1", "acceptance_rate": "1"}
    )
    brief = again.context["brief"]
    people = brief["figures"]["eligible_in_file"]["people"]
    assert brief["figures"]["plan"]["case_managers"] == math.ceil(people / 10)
    assert "Case managers at a caseload of 10" in again.content.decode()


def test_the_page_refuses_bad_input_by_field(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.post("/planning/", {"caseload": "26"})
    assert response.status_code == 400 and "caseload: must be from 1 to 25" in response.content.decode()
    forged = client.post("/planning/", {"counts": "not-signed"})
    assert forged.status_code == 400 and forged.context["brief"] is None
    assert login(world.users[Role.CASE_MANAGER]).get("/planning/").status_code == 404
