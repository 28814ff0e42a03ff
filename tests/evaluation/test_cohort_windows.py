import datetime as dt

import polars as pl
import pytest

from offramp.evaluation.cohort import ERR_MISSING_COLUMNS, CohortError, build_analysis_frame
from offramp.evaluation.study import study_from_toml

STUDY = """
[study]
name = "windows"
[[arms]]
name = "lead"
role = "intervention"
[[arms]]
name = "comparison"
role = "comparison"
[covariates]
numeric = ["prior_arrest_6m", "prior_arrest_12m", "any_prior_charge_felony_24m", "prior_jail_stay_12m"]
[[outcomes]]
name = "any_arrest_6m"
event = "arrest"
measure = "any"
months = 6
[[outcomes]]
name = "any_arrest_12m"
event = "arrest"
measure = "any"
months = 12
[[outcomes]]
name = "bookings_12m"
event = "booking"
measure = "count"
months = 12
[[outcomes]]
name = "felony_12m"
event = "charge_felony"
measure = "count"
months = 12
[[outcomes]]
name = "jail_days_12m"
event = "jail_stay"
measure = "days"
months = 12
[[outcomes]]
name = "rearrest"
event = "arrest"
measure = "time_to_first"
[follow_up]
data_end = 2021-03-31
person_end_column = "followup_end"
[analysis]
primary_outcome = "any_arrest_12m"
"""

D = dt.date


@pytest.fixture(scope="module")
def frame():
    people = pl.DataFrame(
        {
            "person_id": [1, 2, 3, 4],
            "arm": ["lead", "comparison", "comparison", "lead"],
            "index_date": [D(2020, 1, 15), D(2020, 6, 30), D(2020, 1, 1), D(2020, 2, 1)],
            "followup_end": [None, None, D(2020, 6, 1), None],
        }
    )
    rows = [
        # person 1: the index arrest and its booking on the index date are not outcomes
        (1, D(2020, 1, 15), "arrest", None, False),
        (1, D(2020, 1, 15), "booking", None, False),
        (1, D(2020, 3, 1), "arrest", None, False),
        (1, D(2021, 1, 15), "booking", None, False),  # exactly 12 months after: inside
        (1, D(2021, 1, 16), "booking", None, False),  # one day later: outside
        (1, D(2021, 1, 10), "jail_stay", 10, False),  # 6 of its 10 days fall inside the window
        (1, D(2019, 12, 1), "arrest", None, False),  # prior 6 and 12 months
        (1, D(2019, 1, 15), "arrest", None, False),  # exactly 12 months before: prior 12 only
        (1, D(2019, 1, 14), "arrest", None, False),  # one day earlier: neither
        (1, D(2018, 6, 1), "charge_felony", None, False),
        (1, D(2019, 6, 1), "jail_stay", 4, False),
        # person 2: re-arrested, but the 12-month window runs past the end of data
        (2, D(2020, 8, 1), "arrest", None, False),
        (2, D(2020, 7, 5), "charge_felony", None, True),  # filed for the index arrest: flagged
        (2, D(2020, 7, 6), "charge_felony", None, False),
        # person 3: leaves observation on 2020-06-01; a later arrest is outside follow-up
        (3, D(2020, 7, 1), "arrest", None, False),
    ]
    events = pl.DataFrame(rows, schema=["person_id", "date", "kind", "days", "index_related"], orient="row")
    study = study_from_toml(text=STUDY)
    return {
        r["person_id"]: r for r in build_analysis_frame(study=study, people=people, events=events).to_dicts()
    }


def test_it_never_counts_the_index_event_or_same_day_events(frame):
    assert frame[1]["bookings_12m"] == 1  # 2021-01-15 only; the index-date booking is excluded
    assert frame[1]["any_arrest_12m"] == 1  # the 2020-03-01 arrest
    assert frame[1]["rearrest_time"] == 46 and frame[1]["rearrest_event"] == 1


def test_it_counts_prior_windows_inclusively_at_the_start_and_never_the_index_date(frame):
    assert frame[1]["prior_arrest_6m"] == 1
    assert frame[1]["prior_arrest_12m"] == 2
    assert frame[1]["any_prior_charge_felony_24m"] == 1
    assert frame[1]["prior_jail_stay_12m"] == 4  # stays count in days


def test_it_clips_stays_at_the_end_of_the_window(frame):
    assert frame[1]["jail_days_12m"] == 6


def test_it_marks_outcomes_missing_without_full_follow_up(frame):
    # Re-arrested at month 1, yet the 12-month window is incomplete: unknown, not a success or failure.
    assert frame[2]["any_arrest_12m"] is None
    assert frame[2]["bookings_12m"] is None
    assert frame[2]["any_arrest_6m"] == 1  # the 6-month window is complete


def test_it_never_counts_a_censored_person_as_a_success(frame):
    # Person 3 left observation after 5 months with no arrest: not a 0 for 6 or 12 months.
    assert frame[3]["any_arrest_6m"] is None
    assert frame[3]["any_arrest_12m"] is None
    assert frame[3]["rearrest_event"] == 0
    assert frame[3]["rearrest_time"] == (D(2020, 6, 1) - D(2020, 1, 1)).days


def test_it_censors_time_to_event_at_the_end_of_data(frame):
    assert frame[4]["any_arrest_12m"] == 0
    assert frame[4]["rearrest_event"] == 0
    assert frame[4]["rearrest_time"] == (D(2021, 3, 31) - D(2020, 2, 1)).days


def test_it_drops_events_flagged_as_part_of_the_index_event(frame):
    assert frame[2]["felony_12m"] is None  # censored window
    assert frame[2]["post_charge_felony"] is None


def test_it_counts_only_unflagged_charges_in_complete_windows():
    study = study_from_toml(text=STUDY.replace("data_end = 2021-03-31", "data_end = 2022-03-31"))
    people = pl.DataFrame(
        {"person_id": [2], "arm": ["comparison"], "index_date": [D(2020, 6, 30)], "followup_end": [None]},
        schema_overrides={"followup_end": pl.Date},
    )
    events = pl.DataFrame(
        {
            "person_id": [2, 2],
            "date": [D(2020, 7, 5), D(2020, 7, 6)],
            "kind": ["charge_felony"] * 2,
            "index_related": [True, False],
        }
    )
    row = build_analysis_frame(study=study, people=people, events=events).row(0, named=True)
    assert row["felony_12m"] == 1
    assert row["post_charge_felony"] == 1


def test_it_names_missing_columns():
    study = study_from_toml(text=STUDY)
    people = pl.DataFrame({"person_id": [1], "arm": ["lead"]})
    events = pl.DataFrame({"person_id": [1], "date": [D(2020, 1, 1)], "kind": ["arrest"]})
    with pytest.raises(CohortError) as info:
        build_analysis_frame(study=study, people=people, events=events)
    assert str(info.value) == ERR_MISSING_COLUMNS.format(table="people", columns="followup_end, index_date")


def test_it_rejects_unknown_event_kinds_and_arms():
    study = study_from_toml(text=STUDY)
    people = pl.DataFrame(
        {"person_id": [1], "arm": ["lead"], "index_date": [D(2020, 1, 1)], "followup_end": [None]}
    )
    events = pl.DataFrame({"person_id": [1], "date": [D(2020, 1, 1)], "kind": ["citation"]})
    with pytest.raises(CohortError, match="unknown kind"):
        build_analysis_frame(study=study, people=people, events=events)
    with pytest.raises(CohortError, match="arm"):
        build_analysis_frame(
            study=study,
            people=people.with_columns(pl.lit("x").alias("arm")),
            events=events.with_columns(pl.lit("arrest").alias("kind")),
        )
