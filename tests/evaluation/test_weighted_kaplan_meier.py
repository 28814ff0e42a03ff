"""Weighted Kaplan-Meier bands: a variance that is right for weighted data and free of the weights' scale."""

import numpy as np
import pytest
from scipy import stats

from offramp.evaluation.survival import kaplan_meier


def data(seed=1, n=300):
    rng = np.random.default_rng(seed)
    t = np.ceil(rng.exponential(30, n))
    c = np.ceil(rng.uniform(5, 90, n))
    return np.minimum(t, c), (t <= c).astype(float), rng.uniform(0.2, 4.0, n)


def test_bands_do_not_change_when_every_weight_is_scaled():
    time, event, w = data()
    a = kaplan_meier(time=time, event=event, weights=w)
    b = kaplan_meier(time=time, event=event, weights=7.5 * w)
    assert b["survival"] == pytest.approx(a["survival"], rel=1e-12)
    assert b["lower"] == pytest.approx(a["lower"], rel=1e-9)
    assert b["upper"] == pytest.approx(a["upper"], rel=1e-9)


def test_stabilised_and_unstabilised_weights_give_the_same_bands():
    # Stabilising multiplies every weight within a group by one constant.
    time, event, w = data(seed=2)
    a = kaplan_meier(time=time, event=event, weights=w)
    b = kaplan_meier(time=time, event=event, weights=w * 0.31)
    assert b["lower"] == pytest.approx(a["lower"], rel=1e-9)


def test_without_censoring_the_variance_is_that_of_a_weighted_proportion():
    # No censoring: S(t) is the weighted share still event-free, whose influence-function variance
    # is sum w_i^2 (1[T_i > t] - S)^2 / (sum w)^2.
    rng = np.random.default_rng(5)
    time = np.ceil(rng.exponential(20, 400))
    w = rng.uniform(0.5, 3.0, 400)
    km = kaplan_meier(time=time, event=np.ones(400), weights=w, level=0.9)
    z = stats.norm.ppf(0.95)
    for t, s, lo in list(zip(km["time"], km["survival"], km["lower"], strict=True))[:-1]:
        surv = np.sum(w * (time > t)) / w.sum()
        var = np.sum(w**2 * ((time > t) - surv) ** 2) / w.sum() ** 2
        assert s == pytest.approx(surv, rel=1e-12)
        theta_se = np.sqrt(var) / (surv * abs(np.log(surv)))
        assert lo == pytest.approx(np.exp(-np.exp(np.log(-np.log(surv)) + z * theta_se)), rel=1e-9)
    assert km["level"] == 0.9
