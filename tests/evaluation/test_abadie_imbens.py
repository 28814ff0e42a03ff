import numpy as np
import pytest

from offramp.evaluation.matching import match_nearest
from offramp.evaluation.outcomes import Adjustment, ai_effect, ai_variance

TREATED = np.array([1, 1, 0, 0, 0], bool)
Y = np.array([5.0, 7.0, 1.0, 2.0, 4.0])


def adjustment(logit, ratio=1, neighbours=1):
    m = match_nearest(
        ids=np.arange(logit.size), treated=TREATED, logit=logit, ratio=ratio, caliper_sd=None, replace=True
    )
    return Adjustment(
        name="matching_with_replacement",
        weights=m.weights,
        matches=m,
        logit=logit,
        ids=np.arange(logit.size),
        neighbours=neighbours,
    )


def test_it_matches_a_hand_computed_example_without_reuse():
    # Pairs (0, 2) and (1, 3); every control used once, so only the treated residuals count:
    # tau = 6 - 1.5 = 4.5; residuals -0.5 and 0.5; V = 0.5 / 2^2.
    tau, var = ai_variance(y=Y, treated=TREATED, adjustment=adjustment(np.array([0.0, 1.0, 0.1, 0.9, 2.0])))
    assert tau == pytest.approx(4.5)
    assert var == pytest.approx(0.125)


def test_it_adds_the_reuse_term_for_controls_matched_more_than_once():
    # Both treated match control 2 (K = 2, M = 1): extra K(K-1)/M^2 * sigma2 = 2 * sigma2, where
    # sigma2 = 1/2 * (1 - 2)^2 from control 2's nearest fellow control (row 3).
    # tau = 6 - 1 = 5; residuals -1 and 1; V = (2 + 2 * 0.5) / 4.
    tau, var = ai_variance(y=Y, treated=TREATED, adjustment=adjustment(np.array([0.0, 1.0, 0.5, 5.0, 6.0])))
    assert tau == pytest.approx(5.0)
    assert var == pytest.approx(0.75)


def test_it_agrees_with_the_spread_of_estimates_across_simulated_samples():
    estimates, ses = [], []
    for rep in range(150):
        rng = np.random.default_rng(rep)
        n = 400
        x = rng.normal(size=n)
        logit = -0.8 + 0.8 * x
        treated = rng.random(n) < 1 / (1 + np.exp(-logit))
        y = x + treated * (1 + 0.5 * x) + rng.normal(size=n)
        m = match_nearest(
            ids=np.arange(n), treated=treated, logit=logit, ratio=2, caliper_sd=None, replace=True
        )
        adj = Adjustment(
            name="matching_with_replacement", weights=m.weights, matches=m, logit=logit, ids=np.arange(n)
        )
        tau, var = ai_variance(y=y, treated=treated, adjustment=adj)
        estimates.append(tau)
        ses.append(np.sqrt(var))
    ratio = np.mean(ses) / np.std(estimates)
    assert 0.8 < ratio < 1.25


def test_it_linearises_the_odds_ratio():
    rng = np.random.default_rng(4)
    n = 2000
    x = rng.normal(size=n)
    logit = x
    treated = rng.random(n) < 1 / (1 + np.exp(-x))
    y = (rng.random(n) < 1 / (1 + np.exp(-(x - 0.7 * treated)))).astype(float)
    m = match_nearest(ids=np.arange(n), treated=treated, logit=logit, caliper_sd=0.2, replace=True)
    adj = Adjustment(
        name="matching_with_replacement", weights=m.weights, matches=m, logit=logit, ids=np.arange(n)
    )
    est = ai_effect(y=y, treated=treated, adjustment=adj, measure="odds_ratio")
    p1, p0 = est.extra["mean_treated"], est.extra["mean_comparison"]
    assert est.estimate == pytest.approx((p1 / (1 - p1)) / (p0 / (1 - p0)))
    assert est.ci_low < est.estimate < est.ci_high
    assert "Abadie-Imbens" in est.method
    rd = ai_effect(y=y, treated=treated, adjustment=adj, measure="risk_difference")
    assert rd.estimate == pytest.approx(p1 - p0)


def test_it_refuses_missing_outcomes_among_comparison_people():
    logit = np.array([0.0, 1.0, 0.1, 0.9, 2.0])
    y = Y.copy()
    y[4] = np.nan
    with pytest.raises(ValueError, match="known outcome"):
        ai_effect(y=y, treated=TREATED, adjustment=adjustment(logit), measure="odds_ratio")
