"""The study's confidence level reaches every interval it prints."""

import dataclasses

import pytest
from scipy import stats

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import simulate


@pytest.fixture(scope="module")
def reports(seattle):
    sim = simulate(n_people=1500, seed=3)
    study = dataclasses.replace(seattle, analysis=dataclasses.replace(seattle.analysis, subgroups=()))
    out = {}
    for level in (0.95, 0.90):
        s = dataclasses.replace(study, analysis=dataclasses.replace(study.analysis, confidence=level))
        out[level] = run_study(s, sim.people, sim.events, data_end=sim.data_end, include_figures=False)
    return out


def _log_width(est):
    import math

    return math.log(est["ci_high"]) - math.log(est["ci_low"])


def test_outcome_intervals_use_the_studys_level(reports):
    ratio = stats.norm.ppf(0.95) / stats.norm.ppf(0.975)
    for o95, o90 in zip(
        reports[0.95]["contrasts"][0]["outcomes"], reports[0.90]["contrasts"][0]["outcomes"], strict=True
    ):
        for key in ("unadjusted", "regression", "design"):
            if o95[key].get("measure") in ("odds_ratio", "rate_ratio", "hazard_ratio"):
                assert _log_width(o90[key]) == pytest.approx(ratio * _log_width(o95[key]), rel=1e-9), (
                    o95["outcome"],
                    key,
                )
                assert o90[key]["level"] == 0.90


def test_sentences_say_the_level_they_print(reports):
    summary = " ".join(reports[0.90]["contrasts"][0]["summary"])
    assert "90% confidence interval" in summary and "95%" not in summary


def test_kaplan_meier_bands_use_the_studys_level(reports):
    tte = next(o for o in reports[0.90]["contrasts"][0]["outcomes"] if o["measure"] == "time_to_first")
    tte95 = next(o for o in reports[0.95]["contrasts"][0]["outcomes"] if o["measure"] == "time_to_first")
    for arm, curve in tte["kaplan_meier"].items():
        assert curve["level"] == 0.90
        wide = tte95["kaplan_meier"][arm]
        i = len(curve["survival"]) // 2
        assert curve["upper"][i] - curve["lower"][i] < wide["upper"][i] - wide["lower"][i]
