import numpy as np
import pytest
import statsmodels.api as sm

from offramp.evaluation.balance import balance_table, effective_sample_size
from offramp.evaluation.design import design_matrix
from offramp.evaluation.outcomes import Adjustment, binary_effect
from offramp.evaluation.propensity import PropensityError, fit_propensity


def test_it_fits_an_unpenalised_logistic_model():
    rng = np.random.default_rng(0)
    n = 20000
    x = rng.normal(size=(n, 2)) * [1, 10]  # different scales: a penalty would treat them unequally
    treated = rng.random(n) < 1 / (1 + np.exp(-(0.3 + 1.5 * x[:, 0] - 0.2 * x[:, 1])))
    ps = fit_propensity(treated=treated, covariates=x, names=["a", "b"])
    assert ps.params["a"] == pytest.approx(1.5, abs=0.08)
    assert ps.params["b"] == pytest.approx(-0.2, abs=0.01)
    assert np.allclose(ps.logit, np.log(ps.score / (1 - ps.score)))
    assert ps.converged


def test_it_refuses_a_single_arm():
    with pytest.raises(PropensityError):
        fit_propensity(treated=np.ones(5, bool), covariates=np.zeros((5, 1)), names=["x"])


def test_it_builds_dummies_with_a_sorted_reference_level(sim):
    d = design_matrix(frame=sim.people, numeric=["age"], categorical=["area"])
    assert d.names == ["age", "area=area_2", "area=area_3", "area=area_4"]


def test_it_computes_standardized_mean_differences_by_hand():
    x = np.array([[1.0], [3.0], [0.0], [2.0], [4.0]])
    t = np.array([1, 1, 0, 0, 0], bool)
    row = balance_table(covariates=x, names=["x"], treated=t)[0]
    s = np.sqrt((2.0 + 4.0) / 2)  # variances 2 (treated) and 4 (comparison)
    assert row["smd_before"] == pytest.approx((2 - 2) / s)
    w = np.array([1, 1, 0, 1, 1.0])  # drop the 0: comparison mean becomes 3
    row = balance_table(covariates=x, names=["x"], treated=t, weights=w)[0]
    assert row["smd_after"] == pytest.approx((2 - 3) / s)
    assert row["balanced"] is False


def test_it_measures_the_effective_sample_size():
    assert effective_sample_size(np.ones(10)) == pytest.approx(10)
    assert effective_sample_size(np.array([1, 0, 0, 0.0])) == pytest.approx(1)


def test_it_uses_the_standard_weighted_sandwich_for_ipw():
    rng = np.random.default_rng(1)
    n = 400
    x = rng.normal(size=n)
    t = rng.random(n) < 0.5
    y = (rng.random(n) < 1 / (1 + np.exp(-(x - 0.5 * t)))).astype(float)
    w = rng.uniform(0.5, 2, n)
    est = binary_effect(y=y, treated=t, adjustment=Adjustment(name="ipw", weights=w), covariates=x[:, None])
    X = sm.add_constant(np.column_stack([t, x]))
    fit = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w).fit()
    p = fit.fittedvalues
    bread = np.linalg.inv((X * (w * p * (1 - p))[:, None]).T @ X)
    score = X * ((y - p) * w)[:, None]
    by_hand = np.sqrt(np.diag(bread @ score.T @ score @ bread))[1]
    assert est.se == pytest.approx(by_hand, rel=1e-6)
    assert est.estimate == pytest.approx(np.exp(fit.params[1]))
