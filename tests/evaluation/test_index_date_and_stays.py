"""Stays that straddle the index date, and the rules that set the index date."""

import datetime as dt

import polars as pl

from offramp.evaluation.cohort import build_analysis_frame
from offramp.evaluation.costs import add_costs
from offramp.evaluation.study import study_from_toml

D = dt.date

STUDY = """
[study]
name = "index"
[[arms]]
name = "lead"
role = "intervention"
[[arms]]
name = "comparison"
role = "comparison"
[index]
rule = "{rule}"
column = "{column}"
[covariates]
numeric = ["prior_jail_stay_12m", "prior_arrest_12m"]
[[outcomes]]
name = "any_arrest_12m"
event = "arrest"
measure = "any"
months = 12
[[outcomes]]
name = "rearrest"
event = "arrest"
measure = "time_to_first"
[follow_up]
data_end = 2022-12-31
[costs]
window_months = 12
[costs.unit]
jail_day = 100.0
[analysis]
primary_outcome = "any_arrest_12m"
"""


def study(rule="column", column="index_date"):
    return study_from_toml(text=STUDY.format(rule=rule, column=column))


def test_a_stay_that_runs_past_the_index_date_counts_only_its_days_before_it():
    # Jailed 10 days before the index date for 30 days: 10 days belong to the baseline (the stay
    # covers day -10 .. day 19); the 20 after the index date must not leak into it.
    people = pl.DataFrame({"person_id": [1], "arm": ["comparison"], "index_date": [D(2020, 3, 1)]})
    events = pl.DataFrame({"person_id": [1], "date": [D(2020, 2, 20)], "kind": ["jail_stay"], "days": [30]})
    s = study()
    frame = build_analysis_frame(study=s, people=people, events=events)
    row = frame.row(0, named=True)
    assert row["prior_jail_stay_12m"] == 10
    assert row["pre_jail_stay"] == 10
    costs = add_costs(frame=frame, costs=s.costs, intervention_arms=("lead",)).row(0, named=True)
    assert costs["cost_pre"] == 10 * 100.0


def people_and_arrests():
    # Each person's column holds the date they became eligible; the eligible arrest comes later.
    people = pl.DataFrame(
        {
            "person_id": [1, 2, 3],
            "arm": ["lead", "comparison", "comparison"],
            "eligible_from": [D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1)],
        }
    )
    events = pl.DataFrame(
        {
            "person_id": [1, 1, 2, 2, 2],
            "date": [D(2019, 12, 1), D(2020, 2, 1), D(2019, 11, 1), D(2020, 3, 10), D(2020, 5, 1)],
            "kind": ["arrest"] * 5,
        }
    )
    return people, events


def test_first_eligible_arrest_sets_the_index_date_to_the_first_arrest_from_the_column_on():
    people, events = people_and_arrests()
    frame = build_analysis_frame(
        study=study("first_eligible_arrest", "eligible_from"), people=people, events=events
    )
    rows = {r["person_id"]: r for r in frame.to_dicts()}
    assert rows[1]["index_date"] == D(2020, 2, 1)
    assert rows[2]["index_date"] == D(2020, 3, 10)
    assert 3 not in rows  # no eligible arrest: no index date, not in the study
    assert rows[2]["prior_arrest_12m"] == 1  # 2019-11-01; the index arrest itself is not prior
    assert rows[2]["rearrest_time"] == (D(2020, 5, 1) - D(2020, 3, 10)).days


def test_referral_date_uses_the_column_for_the_program_and_the_eligible_arrest_for_the_comparison():
    people, events = people_and_arrests()
    frame = build_analysis_frame(study=study("referral_date", "eligible_from"), people=people, events=events)
    rows = {r["person_id"]: r for r in frame.to_dicts()}
    assert rows[1]["index_date"] == D(2020, 1, 1)  # LEAD: the referral date in the column
    assert rows[2]["index_date"] == D(2020, 3, 10)  # comparison: the arrest booked as usual
    assert rows[1]["any_arrest_12m"] == 1  # the 2020-02-01 arrest came after the referral


def test_column_reads_the_index_date_as_given():
    people, events = people_and_arrests()
    frame = build_analysis_frame(study=study("column", "eligible_from"), people=people, events=events)
    assert set(frame["index_date"].to_list()) == {D(2020, 1, 1)}
