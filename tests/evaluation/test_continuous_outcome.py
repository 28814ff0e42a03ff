"""A continuous outcome (days housed in the year after the index date) with a known effect."""

import dataclasses

import numpy as np
import polars as pl

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import simulate
from offramp.evaluation.study import Matching, Outcome

EFFECT = 40.0


def test_it_recovers_a_known_difference_in_means(seattle):
    sim = simulate(n_people=3000, seed=9)
    rng = np.random.default_rng(9)
    lead = (sim.people["arm"] == "lead").to_numpy()
    age = sim.people["age"].to_numpy()
    # Older people are housed longer and are less often in LEAD: the naive difference is biased.
    housed = 150 + 3 * (age - 38) + EFFECT * lead + rng.normal(0, 25, lead.size)
    people = sim.people.with_columns(pl.Series("days_housed_12m", housed))
    people = people.with_columns(
        pl.when(pl.int_range(pl.len()) % 50 == 0)
        .then(None)
        .otherwise(pl.col("days_housed_12m"))
        .alias("days_housed_12m")
    )
    outcome = Outcome(
        name="days_housed",
        event="",
        measure="mean",
        months=None,
        label="days housed",
        column="days_housed_12m",
    )
    study = dataclasses.replace(
        seattle,
        outcomes=(seattle.outcome("any_arrest_12m"), outcome),
        matching=Matching(method="ipw", estimand="att"),
        analysis=dataclasses.replace(seattle.analysis, subgroups=()),
    )
    report = run_study(study, people, sim.events, data_end=sim.data_end, include_figures=False)
    o = next(o for o in report["contrasts"][0]["outcomes"] if o["outcome"] == "days_housed")
    assert o["n_censored"] == 60  # a missing value is unknown, not zero
    assert o["design"]["measure"] == "mean_difference"
    assert o["design"]["ci_low"] < EFFECT < o["design"]["ci_high"]
    assert not o["unadjusted"]["ci_low"] < EFFECT < o["unadjusted"]["ci_high"]
    assert any("days housed" in s for s in report["contrasts"][0]["summary"])
