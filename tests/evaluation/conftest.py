"""Fixtures for the evaluation engine's tests: plain Python, no database."""

import dataclasses
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import simulate
from offramp.evaluation.study import Matching, study_load

EXAMPLE = Path(__file__).resolve().parents[2] / "offramp" / "evaluation" / "examples" / "seattle_design.toml"


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    # Small dense problems: threads only add overhead (run_study does the same internally).
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="session")
def seattle():
    return study_load(path=EXAMPLE)


@pytest.fixture(scope="session")
def sim():
    """4,000 people, ~20% in LEAD, true ATT odds ratio of re-arrest within 12 months 0.42."""
    return simulate(n_people=4000, seed=11, att_odds_ratio_12m=0.42, treated_share=0.2)


def _run(study, sim, **matching):
    study = dataclasses.replace(study, matching=Matching(**matching))
    return run_study(study, sim.people, sim.events, data_end=sim.data_end)


@pytest.fixture(scope="session")
def report_ipw(seattle, sim):
    return _run(seattle, sim, method="ipw", estimand="att")


@pytest.fixture(scope="session")
def report_matched(seattle, sim):
    return _run(seattle, sim, method="nearest", ratio=1, caliper_sd=0.2, replacement=False)


@pytest.fixture(scope="session")
def report_replaced(seattle, sim):
    return _run(seattle, sim, method="nearest", ratio=2, caliper_sd=0.2, replacement=True)


def outcome(report: dict, name: str) -> dict:
    return next(o for o in report["contrasts"][0]["outcomes"] if o["outcome"] == name)
