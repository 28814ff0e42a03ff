"""The engine's shortcuts give the fits they replace: the closed-form two-group GLM against Newton's
method on the same design, and the Cox model on collapsed rows against one row per person (Rossi's
weeks are tied, so the Efron terms are exercised), with and without case weights."""

import numpy as np
import pytest
from lifelines.datasets import load_rossi

from offramp.evaluation import cox
from offramp.evaluation.cox import collapse, cox_fit
from offramp.evaluation.estimate import Adjustment
from offramp.evaluation.glm import glm_fit, glm_two_groups
from offramp.evaluation.survival import cox_effect

RNG = np.random.default_rng(3)
N = 3000
GROUP = RNG.random(N) < 0.3
OUTCOMES = {
    "binomial": (RNG.random(N) < 0.3 + 0.2 * GROUP).astype(float),
    "poisson": RNG.poisson(1 + GROUP, N).astype(float),
    "gaussian": RNG.normal(size=N) + GROUP,
}


@pytest.mark.parametrize("family", list(OUTCOMES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("clustered", [False, True])
def test_the_two_group_glm_is_newtons_fit(family, weighted, clustered):
    y = OUTCOMES[family]
    w = RNG.exponential(size=N) if weighted else None
    clusters = RNG.integers(0, 500, N) if clustered else None
    offset = np.log(RNG.uniform(1, 5, N)) if family == "poisson" else None
    x = np.column_stack([np.ones(N), GROUP])
    newton = glm_fit(y=y, x=x, family=family, weights=w, offset=offset, clusters=clusters)
    closed = glm_two_groups(y=y, group=GROUP, family=family, weights=w, offset=offset, clusters=clusters)
    assert closed is not None
    np.testing.assert_allclose(closed.params, newton.params, rtol=0, atol=1e-10)
    np.testing.assert_allclose(closed.cov, newton.cov, rtol=1e-9, atol=0)
    assert closed.dispersion == pytest.approx(newton.dispersion, rel=1e-10)


def test_the_two_group_glm_declines_when_the_maximum_does_not_exist():
    group = np.arange(10) % 2
    assert glm_two_groups(y=np.where(group == 1, 1.0, 0.0), group=group, family="binomial") is None
    assert glm_two_groups(y=np.zeros(10), group=group, family="poisson") is None
    assert glm_two_groups(y=np.ones(10), group=np.zeros(10), family="gaussian") is None


@pytest.mark.parametrize("weighted", [False, True])
def test_a_cox_fit_on_collapsed_rows_is_the_fit_on_people(weighted):
    r = load_rossi()
    time, event, fin = r.week.to_numpy(float), r.arrest.to_numpy(float), r.fin.to_numpy(float)
    w = np.random.default_rng(5).uniform(0.2, 3, time.size) if weighted else None
    people = cox_fit(time=time, event=event, x=fin, weights=w)
    c = collapse(time=time, event=event, group=fin, weights=w)
    assert c.time.size < time.size / 3
    rows = cox_fit(
        time=c.time,
        event=c.event,
        x=c.group,
        weights=c.weights,
        counts=c.counts,
        weight_squares=c.weight_squares,
    )
    assert (rows.n, rows.n_events) == (people.n, people.n_events)
    np.testing.assert_allclose(rows.params, people.params, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rows.cov, people.cov, rtol=1e-10)
    np.testing.assert_allclose(rows.robust_cov(), people.robust_cov(), rtol=1e-10)
    assert rows.loglik == pytest.approx(people.loglik, rel=1e-12)
    assert rows.score_test == pytest.approx(people.score_test, rel=1e-10)
    assert rows.concordance() == pytest.approx(people.concordance(), rel=1e-12)
    a, b = rows.zph(), people.zph()
    assert a["global"]["chi_square"] == pytest.approx(b["global"]["chi_square"], rel=1e-9)


def test_the_treatment_only_cox_effect_collapses_and_the_clustered_one_does_not():
    r = load_rossi()
    time, event, fin = r.week.to_numpy(float), r.arrest.to_numpy(float), r.fin.to_numpy(bool)
    est = cox_effect(time=time, event=event, treated=fin, adjustment=Adjustment(name="unadjusted"))
    people = cox_fit(time=time, event=event, x=fin.astype(float))
    assert np.log(est.estimate) == pytest.approx(people.params[0], abs=1e-12)
    assert est.se == pytest.approx(people.se[0], rel=1e-10)
    clusters = np.arange(time.size) // 2
    est = cox_effect(
        time=time, event=event, treated=fin, adjustment=Adjustment(name="matching", clusters=clusters)
    )
    u = people.score_residuals()[:, 0]
    meat = np.sum(np.bincount(clusters, weights=u) ** 2)
    assert est.se == pytest.approx(np.sqrt(people.cov[0, 0] ** 2 * meat), rel=1e-10)


@pytest.mark.parametrize("distinct_risks", [2, 7, 400])
def test_concordance_is_the_weighted_pair_count(distinct_risks):
    rng = np.random.default_rng(distinct_risks)
    n = 300
    time = rng.integers(1, 40, n).astype(float)
    event = rng.random(n) < 0.6
    risk = rng.integers(0, distinct_risks, n) * 0.3
    w = rng.uniform(0.1, 2, n)
    conc = disc = tied = 0.0
    for i in np.flatnonzero(event):
        later = time > time[i]
        conc += w[i] * np.sum(w[later & (risk < risk[i])])
        disc += w[i] * np.sum(w[later & (risk > risk[i])])
        tied += w[i] * np.sum(w[later & (risk == risk[i])])
    expected = (conc + tied / 2) / (conc + disc + tied)
    got = cox.concordance_index(time=time, event=event, risk=risk, weights=w)
    assert got == pytest.approx(expected, rel=1e-12)
