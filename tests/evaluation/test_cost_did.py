import numpy as np
import polars as pl
import pytest

from offramp.evaluation.costs import add_costs, cost_did
from offramp.evaluation.matching import match_nearest
from offramp.evaluation.outcomes import Adjustment
from offramp.evaluation.study import Costs

UNIT = {
    "booking": 100.0,
    "jail_day": 10.0,
    "prison_day": 5.0,
    "prosecution": 50.0,
    "defence": 40.0,
    "court_hearing": 20.0,
    "program_participant_month": 300.0,
}
COSTS = Costs(
    window_months=12,
    unit=UNIT,
    hearings_per_felony_charge=2.0,
    hearings_per_misdemeanor_charge=1.0,
    program_months_column="program_months",
)


def frame(**cols):
    base = {
        f"{side}_{k}": [0, 0]
        for side in ("pre", "post")
        for k in ("booking", "jail_stay", "prison", "charge_felony", "charge_misdemeanor")
    }
    base |= {"arm": ["lead", "comparison"], "program_months": [6, 0]}
    return pl.DataFrame(base | cols)


def test_it_prices_each_component_per_unit():
    f = add_costs(
        frame=frame(
            pre_booking=[1, 0],
            pre_jail_stay=[3, 0],
            pre_prison=[0, 2],
            pre_charge_felony=[1, 0],
            pre_charge_misdemeanor=[0, 1],
        ),
        costs=COSTS,
        intervention_arms=("lead",),
    )
    # lead: 100 + 3*10 + felony (50 + 40 + 2 hearings * 20) = 260; comparison: 2*5 + misd (90 + 20) = 120
    assert f["cost_pre"].to_list() == [260.0, 120.0]
    assert f["program_cost"].to_list() == [1800.0, 0.0]  # 6 months at 300, comparison pays nothing
    assert f["net_change"].to_list() == [-260.0 + 1800.0, -120.0]


def test_it_caps_program_months_at_the_window():
    f = add_costs(frame=frame(program_months=[30, 0]), costs=COSTS, intervention_arms=("lead",))
    assert f["program_cost"].to_list() == [12 * 300.0, 0.0]


def test_it_computes_the_difference_in_differences_on_a_constructed_example():
    # LEAD: 1000 -> 400 and 2000 -> 1000 (mean change -800); comparison: 1000 -> 1500, 3000 -> 3100 (+300).
    pre = np.array([1000, 2000, 1000, 3000.0])
    post = np.array([400, 1000, 1500, 3100.0])
    treated = np.array([1, 1, 0, 0], bool)
    out = cost_did(pre=pre, post=post, treated=treated, adjustment=Adjustment(name="unadjusted"))
    assert out["arms"]["intervention"]["mean_change"] == pytest.approx(-800)
    assert out["arms"]["comparison"]["mean_change"] == pytest.approx(300)
    did = out["did"]
    assert did["estimate"] == pytest.approx(-1100)
    # HC0 SE of a difference in means: sqrt(var1/n1 + var0/n0) with population (1/n) variances.
    se = np.sqrt(np.var([-600, -1000]) / 2 + np.var([500, 100]) / 2)
    assert did["se"] == pytest.approx(se)
    assert did["ci_low"] == pytest.approx(-1100 - 1.959964 * se, rel=1e-5)


def test_it_weights_the_comparison_group_and_leaves_out_censored_people():
    pre = np.array([0, 0, 0, 0, 0.0])
    post = np.array([100, 100, 300, 0, np.nan])
    treated = np.array([1, 1, 0, 0, 0], bool)
    out = cost_did(
        pre=pre,
        post=post,
        treated=treated,
        adjustment=Adjustment(name="ipw", weights=np.array([1, 1, 1, 3, 1.0])),
    )
    assert out["arms"]["comparison"]["n"] == 2
    assert out["arms"]["comparison"]["mean_change"] == pytest.approx(300 / 4)
    assert out["did"]["estimate"] == pytest.approx(100 - 75)


def test_it_uses_abadie_imbens_for_matching_with_replacement():
    rng = np.random.default_rng(0)
    n = 300
    logit = rng.normal(size=n)
    treated = rng.random(n) < 0.3
    change = 100 * logit - 500 * treated + rng.normal(0, 50, n)
    m = match_nearest(ids=np.arange(n), treated=treated, logit=logit, caliper_sd=None, replace=True)
    adj = Adjustment(
        name="matching_with_replacement", weights=m.weights, matches=m, logit=logit, ids=np.arange(n)
    )
    out = cost_did(pre=np.zeros(n), post=change, treated=treated, adjustment=adj)
    assert out["did"]["ci_low"] < -500 < out["did"]["ci_high"]
    assert "Abadie-Imbens" in out["did"]["method"]
