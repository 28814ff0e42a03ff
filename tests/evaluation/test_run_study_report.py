import json

import polars as pl

from offramp.evaluation.report import run_study


def test_it_is_json_serialisable_without_nan(report_ipw):
    text = json.dumps(report_ipw, allow_nan=False)
    assert json.loads(text)["contrasts"][0]["intervention"] == "lead"


def test_it_reports_progress_in_order(seattle, sim):
    calls = []
    people = sim.people.head(1500)
    events = sim.events.join(people.select("person_id"), on="person_id")
    run_study(
        seattle,
        people,
        events,
        progress=lambda done, total, msg: calls.append((done, total, msg)),
        include_figures=False,
    )
    done = [c[0] for c in calls]
    assert done == sorted(done) and done[0] == 0
    assert calls[-1][:2] == (calls[-1][1], calls[-1][1])
    assert calls[-1][2] == "done"
    assert any("propensity" in c[2] for c in calls)


def test_it_writes_plain_language_sentences(report_ipw):
    summary = report_ipw["contrasts"][0]["summary"]
    odds = next(s for s in summary if "a re-arrest within 12 months than" in s)
    assert odds.startswith("People in LEAD had ") and "% lower odds of" in odds
    assert "similar people who were booked as usual" in odds
    assert any(s.startswith("In numbers: about ") and "out of 100" in s for s in summary)
    assert any("legal-system costs per person" in s for s in summary)


def test_it_estimates_subgroups_by_race_sex_and_age(report_ipw):
    subgroups = report_ipw["contrasts"][0]["subgroups"]
    assert {s["variable"] for s in subgroups} == {"race_ethnicity", "sex", "age_group"}
    male = next(s for s in subgroups if s["variable"] == "sex" and s["level"] == "male")
    assert male["estimate"]["measure"] == "odds_ratio"
    small = [s for s in subgroups if s["n_intervention"] < 20]
    assert all("fewer than 20" in s["estimate"]["error"] for s in small)


def test_it_records_the_design_and_censoring(report_matched, report_ipw):
    design = report_matched["contrasts"][0]["design"]
    assert design["matched_intervention"] + design["dropped_by_caliper"] == design["n_intervention"]
    assert design["caliper_sd"] == 0.2
    r24 = next(o for o in report_ipw["contrasts"][0]["outcomes"] if o["outcome"] == "any_arrest_24m")
    assert r24["n_censored"] > 0
    assert report_ipw["contrasts"][0]["design"]["effective_n_comparison"] > 0


def test_it_includes_accessible_figures(report_ipw):
    figs = report_ipw["contrasts"][0]["figures"]
    assert set(figs) >= {"love_plot", "forest_plot", "km_time_to_rearrest"}
    assert all('role="img"' in svg for svg in figs.values())


def test_it_compares_each_intervention_arm_with_the_comparison_arm(seattle, sim):
    import dataclasses

    from offramp.evaluation.study import Arm

    arms = (
        *seattle.arms,
        Arm(name="drug_court", label="Drug court", role="intervention", describe="people in drug court"),
    )
    study = dataclasses.replace(seattle, arms=arms)
    people = sim.people.head(2000).with_columns(
        pl.when((pl.col("arm") == "comparison") & (pl.col("person_id") % 4 == 0))
        .then(pl.lit("drug_court"))
        .otherwise(pl.col("arm"))
        .alias("arm")
    )
    report = run_study(study, people, sim.events, include_figures=False)
    assert [c["intervention"] for c in report["contrasts"]] == ["lead", "drug_court"]
    assert report["data"]["people_by_arm"]["drug_court"] > 0
