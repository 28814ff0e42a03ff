"""LEAD vs drug court vs booking as usual in one run: one score, one target population, every pair."""

import dataclasses

import pytest

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import PAIRS, simulate
from offramp.evaluation.study import Arm, Matching

pytestmark = pytest.mark.slow  # statistical: known truth recovered from simulated people

DRUG_COURT = Arm(name="drug_court", label="Drug court", role="intervention", describe="people in drug court")
TARGETS = {
    "any_arrest_12m": "odds_ratio_12m",
    "bookings_12m": "rate_ratio",
    "time_to_rearrest": "hazard_ratio",
}


@pytest.fixture(scope="module")
def sim3():
    return simulate(n_people=6000, seed=21, drug_court_share=0.25, treated_share=0.25)


def study3(seattle, matching):
    return dataclasses.replace(
        seattle,
        arms=(*seattle.arms, DRUG_COURT),
        outcomes=tuple(o for o in seattle.outcomes if o.name in TARGETS),
        matching=matching,
        analysis=dataclasses.replace(seattle.analysis, subgroups=()),
    )


@pytest.fixture(scope="module")
def ate(seattle, sim3):
    return run_study(
        study3(seattle, Matching(method="ipw", estimand="ate")),
        sim3.people,
        sim3.events,
        data_end=sim3.data_end,
    )


def test_one_run_gives_every_pair_in_one_report(ate):
    h2h = ate["head_to_head"]
    assert h2h["arms"] == ["comparison", "lead", "drug_court"]
    assert h2h["estimand"] == "ate"
    assert {tuple(p["pair"]) for p in h2h["outcomes"][0]["pairs"]} == set(PAIRS)
    assert len(ate["contrasts"]) == 2  # and each intervention against booking as usual, as before
    assert len(h2h["balance"]) == 3
    assert "Bonferroni" in h2h["multiplicity"]
    assert "forest_plot" in h2h["figures"]


def test_it_recovers_the_known_effects_of_both_programs(ate, sim3):
    pairs = sim3.truth["pairs"]
    for o in ate["head_to_head"]["outcomes"]:
        for p in o["pairs"]:
            truth = pairs[f"{p['pair'][0]}_vs_{p['pair'][1]}_ate"][TARGETS[o["outcome"]]]
            est = p["estimate"]
            assert est["adjusted_ci_low"] < truth < est["adjusted_ci_high"], (o["outcome"], p["pair"])
            assert est["adjusted_ci_low"] < est["ci_low"]  # adjusted intervals are wider


def test_weighting_balances_every_pair(ate):
    for pair in ate["head_to_head"]["balance"]:
        assert max(abs(r["smd_before"]) for r in pair["rows"]) > 0.2
        assert all(abs(r["smd_after"]) < 0.1 for r in pair["rows"]), pair["label"]


def test_vector_matching_recovers_the_effects_on_lead_people(seattle, sim3):
    study = study3(seattle, Matching(method="nearest", estimand="att", target_arm="lead", replacement=True))
    study = dataclasses.replace(study, outcomes=tuple(o for o in study.outcomes if o.name != "bookings_12m"))
    report = run_study(study, sim3.people, sim3.events, data_end=sim3.data_end, include_figures=False)
    h2h = report["head_to_head"]
    assert h2h["method"] == "vector matching" and h2h["target_arm"] == "lead"
    pairs = sim3.truth["pairs"]
    key = {"any_arrest_12m": "odds_ratio_12m", "time_to_rearrest": "first_event_rate_ratio"}
    for o in h2h["outcomes"]:
        for p in o["pairs"]:
            est = p["estimate"]
            truth = pairs[f"{p['pair'][0]}_vs_{p['pair'][1]}_att"][key[o["outcome"]]]
            assert est["adjusted_ci_low"] < truth < est["adjusted_ci_high"], (o["outcome"], p["pair"])
