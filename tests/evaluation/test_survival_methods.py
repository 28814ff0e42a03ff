import numpy as np
import pytest

from offramp.evaluation.outcomes import Adjustment
from offramp.evaluation.survival import cox_effect, kaplan_meier, log_rank

# Freireich et al. (1963) leukaemia remission times in weeks, as tabulated in Kleinbaum & Klein,
# "Survival Analysis: A Self-Learning Text": 6-MP arm (with censoring) and placebo arm (no censoring).
MP_TIME = [6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
MP_EVENT = [1] * 9 + [0] * 12
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def test_it_matches_the_hand_computed_kaplan_meier_estimate():
    km = kaplan_meier(time=np.array(MP_TIME, float), event=np.array(MP_EVENT, float))
    # By hand: S(6) = 18/21, then x 16/17, 14/15, 11/12, 10/11, 6/7, 5/6.
    by_hand = np.cumprod([18 / 21, 16 / 17, 14 / 15, 11 / 12, 10 / 11, 6 / 7, 5 / 6])
    assert km["time"] == [6, 7, 10, 13, 16, 22, 23]
    assert km["survival"] == pytest.approx(by_hand)
    assert km["survival"] == pytest.approx([0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448], abs=5e-4)
    assert km["n_risk"][:2] == [21, 17]
    # Greenwood at week 6: S * sqrt(3 / (21 * 18)); the log(-log) interval contains the estimate.
    se = by_hand[0] * np.sqrt(3 / (21 * 18))
    theta = np.log(-np.log(by_hand[0]))
    se_theta = se / (by_hand[0] * abs(np.log(by_hand[0])))
    assert km["lower"][0] == pytest.approx(np.exp(-np.exp(theta + 1.959964 * se_theta)), rel=1e-5)
    assert all(lo <= s <= hi for lo, s, hi in zip(km["lower"], km["survival"], km["upper"], strict=True))


def test_it_reproduces_the_textbook_log_rank_statistic():
    time = np.array(MP_TIME + PLACEBO, float)
    event = np.array(MP_EVENT + [1] * 21, float)
    group = np.array([1] * 21 + [0] * 21)
    result = log_rank(time=time, event=event, group=group)
    assert result["chi_square"] == pytest.approx(16.79, abs=0.01)  # Kleinbaum & Klein: 16.79
    assert result["p_value"] < 1e-4


def test_it_inflates_weighted_kaplan_meier_bands():
    time = np.array(PLACEBO, float)
    event = np.ones(21)
    plain = kaplan_meier(time=time, event=event)
    w = np.where(np.arange(21) % 2 == 0, 3.0, 0.5)
    weighted = kaplan_meier(time=time, event=event, weights=w)
    assert weighted["weighted"] and not plain["weighted"]
    i = weighted["time"].index(8.0)
    assert weighted["lower"][i] < weighted["survival"][i] < weighted["upper"][i]


def exponential_data(seed: int, n: int, hr: float):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    treated = rng.random(n) < 1 / (1 + np.exp(-x))  # confounded by x
    rate = 0.01 * np.exp(0.7 * x) * np.where(treated, hr, 1.0)
    t_event = rng.exponential(1 / rate)
    t_censor = rng.uniform(0, 200, n)
    return np.minimum(t_event, t_censor), (t_event <= t_censor).astype(float), treated, x


def test_it_recovers_the_hazard_ratio_from_exponential_data():
    time, event, treated, x = exponential_data(seed=5, n=3000, hr=0.6)
    est = cox_effect(
        time=time,
        event=event,
        treated=treated,
        covariates=x[:, None],
        adjustment=Adjustment(name="regression"),
    )
    assert est.measure == "hazard_ratio"
    assert est.ci_low < 0.6 < est.ci_high
    assert abs(est.estimate - 0.6) < 0.08
    assert "efron" in est.method
    assert est.extra["proportional_hazards"]["violated"] is False
    naive = cox_effect(time=time, event=event, treated=treated, adjustment=Adjustment(name="unadjusted"))
    assert naive.ci_low > 0.6  # confounding by x hides part of the benefit


def test_it_flags_hazards_that_are_not_proportional():
    rng = np.random.default_rng(2)
    n = 3000
    treated = rng.random(n) < 0.5
    # Treated: early hazard high, late hazard low (Weibull shapes differ).
    t_event = np.where(treated, rng.weibull(0.5, n) * 60, rng.weibull(2.0, n) * 60)
    time = np.minimum(t_event, 150)
    event = (t_event <= 150).astype(float)
    est = cox_effect(time=time, event=event, treated=treated, adjustment=Adjustment(name="unadjusted"))
    assert est.extra["proportional_hazards"]["violated"] is True


def test_it_clusters_cox_standard_errors_by_matched_set():
    time, event, treated, x = exponential_data(seed=8, n=800, hr=0.6)
    singletons = cox_effect(
        time=time,
        event=event,
        treated=treated,
        adjustment=Adjustment(name="matching", clusters=np.arange(time.size)),
    )
    model = cox_effect(time=time, event=event, treated=treated, adjustment=Adjustment(name="unadjusted"))
    assert np.isfinite(singletons.se)
    # With one person per cluster the sandwich is close to the model-based SE.
    assert singletons.se == pytest.approx(model.se, rel=0.15)
    assert "clustered" in singletons.method
