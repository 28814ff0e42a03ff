"""The Cox model against R's survival package: tests of the whole model, robust (sandwich) standard
errors with Efron ties for every covariate, match weights, and the Grambsch-Therneau test.

Sources of the reference values:
* Rossi data, ``coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio)``: Fox,
  "Cox proportional-hazards regression for survival data", appendix to An R and S-PLUS Companion to
  Applied Regression (2002): likelihood-ratio test 33.27, Wald 32.11, score (log-rank) 33.53 on 7 df;
  Fox & Weisberg's 2018 revision of the appendix: concordance 0.64.
* Robust and clustered SEs on small data without ties: R output quoted in the lifelines test suite
  (lifelines/tests/test_estimation.py: ``coxph(..., robust=TRUE)``, ``weights=``, ``cluster(id)``).
* ``cox.zph``: survival 3.x computes, per covariate and globally, the score test for adding
  ``x * g(t)`` (g = 1 - KM(t-), centred over the deaths) at the fitted coefficients (R/cox.zph.R and
  src/zph1.c). The test below computes that score test independently, with statsmodels' PHReg on the
  Rossi data split into counting-process intervals, and compares.
"""

import numpy as np
import pytest
from lifelines.datasets import load_rossi
from statsmodels.duration.hazard_regression import PHReg

from offramp.evaluation.cox import concordance_index, cox_fit
from offramp.evaluation.matching import match_nearest
from offramp.evaluation.outcomes import Adjustment
from offramp.evaluation.survival import cox_effect

COLS = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
V1 = [0.209325, 0.693919, 0.443804, 0.065636, 0.386294]
V2 = [0.184677, 0.071893, 1.364646, 0.098375, 1.663092]
T5 = [7.335846, 5.269797, 11.684092, 12.678458, 6.601666]


@pytest.fixture(scope="module")
def rossi():
    r = load_rossi()
    return r.week.to_numpy(float), r.arrest.to_numpy(float), r[COLS].to_numpy(float)


def rossi_effect(rossi, **kw):
    time, event, x = rossi
    return cox_effect(
        time=time,
        event=event,
        treated=x[:, 0] == 1,
        covariates=x[:, 1:],
        names=COLS[1:],
        adjustment=Adjustment(name="regression"),
        **kw,
    )


def test_it_reports_the_model_tests_and_concordance_of_foxs_rossi_model(rossi):
    extra = rossi_effect(rossi).extra
    assert extra["likelihood_ratio"]["chi_square"] == pytest.approx(33.27, abs=0.005)
    assert extra["likelihood_ratio"]["df"] == 7
    assert extra["likelihood_ratio"]["p_value"] == pytest.approx(2.36e-5, rel=0.01)
    assert extra["wald"]["chi_square"] == pytest.approx(32.11, abs=0.005)
    assert extra["score"]["chi_square"] == pytest.approx(33.53, abs=0.005)
    assert extra["concordance"] == pytest.approx(0.64, abs=0.005)


@pytest.mark.parametrize(
    ("kwargs", "coef", "robust_se"),
    [
        ({"event": [1] * 5}, (7.680, -0.915), (2.097, 0.827)),
        ({"event": [1] * 5, "weights": V2}, (-5.16231, 1.71924), (9.97730, 2.45648)),
        ({"event": [1, 1, 0, 1, 1], "weights": V2}, (-8.360533, 1.781126), (12.303338, 2.395670)),
        ({"event": [1] * 5, "weights": [0.75] * 5}, (7.680, -0.915), (2.097, 0.827)),
    ],
)
def test_its_robust_standard_errors_are_rs(kwargs, coef, robust_se):
    fit = cox_fit(time=np.array(T5), x=np.column_stack([V1, V2]), **kwargs)
    assert fit.params == pytest.approx(coef, abs=1e-3)
    assert np.sqrt(np.diag(fit.robust_cov())) == pytest.approx(robust_se, abs=1e-3)


def test_its_clustered_standard_errors_are_rs():
    fit = cox_fit(time=np.array(T5), event=np.ones(5), x=np.column_stack([[1, 1, 2, 2, 2], V2]))
    se = np.sqrt(np.diag(fit.robust_cov(clusters=np.array([1, 1, 2, 3, 4]))))
    assert se == pytest.approx((5.9752, 4.0683), abs=1e-3)


def test_its_robust_errors_with_efron_ties_come_from_efron_score_residuals(rossi):
    # Rossi's weeks are heavily tied. Score residuals of Efron's form add up to the Efron score,
    # which is zero at the Efron estimate; Breslow-type residuals do not (they are what made the
    # sandwich about 0.4% too small).
    time, event, x = rossi
    fit = cox_fit(time=time, event=event, x=x)
    resid = fit.score_residuals()
    assert np.abs(resid.sum(axis=0)).max() < 1e-9
    assert np.abs(resid).sum() > 1  # not trivially zero
    est = rossi_effect(rossi)
    robust = est.extra["coefficient_robust_se"]
    assert len(robust) == len(COLS)  # every covariate, not only the treatment
    dfbeta = resid @ fit.cov
    assert robust == pytest.approx(np.sqrt((dfbeta**2).sum(axis=0)), rel=1e-9)


def test_its_proportional_hazards_test_is_cox_zph(rossi):
    time, event, x = rossi
    est = rossi_effect(rossi)
    zph = est.extra["proportional_hazards"]
    assert [t["term"] for t in zph["terms"]] == ["treatment", *COLS[1:]]
    beta = np.asarray(est.extra["coefficients"])

    # The same score test, built independently: split follow-up at every death time, add x * g(t),
    # and take PHReg's (Efron) score and information at (beta, 0).
    deaths = np.unique(time[event == 1])
    at_risk = np.array([(time >= t).sum() for t in np.unique(time)])
    died = np.array([((time == t) & (event == 1)).sum() for t in np.unique(time)])
    km_before = dict(zip(np.unique(time), np.r_[1, np.cumprod(1 - died / at_risk)[:-1]], strict=True))
    g = {t: 1 - km_before[t] for t in deaths}
    gbar = np.mean([g[t] for t in time[event == 1]])
    rows = []
    for ti, ei, xi in zip(time, event, x, strict=True):
        start = 0.0
        for t in deaths[deaths <= ti]:
            rows.append((start, t, float(ei == 1 and t == ti), *xi, *(xi * (g[t] - gbar))))
            start = t
        if start < ti:
            rows.append((start, ti, 0.0, *xi, *np.zeros(len(COLS))))
    a = np.array(rows)
    # PHReg's entry is inclusive; nudge it so a split row is not at risk twice at its start.
    model = PHReg(a[:, 1], a[:, 3:], status=a[:, 2], entry=a[:, 0] + 1e-7, ties="efron")
    b = np.r_[beta, np.zeros(len(COLS))]
    u, info = model.score(b), -model.hessian(b)
    p = len(COLS)
    for j, term in enumerate(zph["terms"]):
        jj = np.r_[np.arange(p), p + j]
        expected = u[jj] @ np.linalg.solve(info[np.ix_(jj, jj)], u[jj])
        assert term["chi_square"] == pytest.approx(expected, rel=1e-6), COLS[j]
    assert zph["global"]["chi_square"] == pytest.approx(u @ np.linalg.solve(info, u), rel=1e-6)
    assert zph["global"]["df"] == p
    # Age is the covariate whose effect changes over follow-up in this model (Fox & Weisberg).
    assert [t["p_value"] < 0.05 for t in zph["terms"]][1] is True
    assert zph["terms"][0]["p_value"] > 0.5  # financial aid: proportional


def test_concordance_counts_pairs_as_defined():
    rng = np.random.default_rng(3)
    n = 60
    time = rng.integers(1, 15, n).astype(float)  # many ties in time
    event = rng.random(n) < 0.7
    risk = rng.integers(0, 5, n).astype(float)  # and in risk
    conc = disc = tied = 0
    for i in range(n):
        for j in range(n):
            if event[i] and time[i] < time[j]:
                conc += risk[i] > risk[j]
                disc += risk[i] < risk[j]
                tied += risk[i] == risk[j]
    expected = (conc + tied / 2) / (conc + disc + tied)
    assert concordance_index(time=time, event=event, risk=risk) == pytest.approx(expected, rel=1e-12)


def test_the_matched_cox_fit_uses_the_match_weights():
    # 1:2 matching where some treated people find only one control: that control stands for the
    # treated person alone (weight 1), the others for half of one (0.5). The weighted fit must equal
    # a plain fit on data in which each person appears in proportion to their weight. (With Breslow
    # ties a case weight is exactly a frequency; Efron's tie correction counts deaths, not weight.)
    rng = np.random.default_rng(4)
    n = 600
    x = rng.normal(size=n)
    treated = rng.random(n) < 1 / (1 + np.exp(-1.5 * x))
    time = np.ceil(rng.exponential(1 / (0.02 * np.exp(0.5 * x) * np.where(treated, 0.6, 1.0))))
    event = (time <= 60).astype(float)
    time = np.minimum(time, 60)
    m = match_nearest(ids=np.arange(n), treated=treated, logit=2 * x, ratio=2, caliper_sd=0.05)
    w = m.weights
    assert set(np.round(w[(w > 0) & ~treated], 6)) >= {0.5, 1.0}
    est = cox_effect(
        time=time,
        event=event,
        treated=treated,
        adjustment=Adjustment(name="matching", weights=w, clusters=m.set_id),
        ties="breslow",
    )
    reps = np.round(2 * w).astype(int)
    expanded = PHReg(
        np.repeat(time, reps),
        np.repeat(treated, reps)[:, None].astype(float),
        status=np.repeat(event, reps),
        ties="breslow",
    ).fit()
    assert np.log(est.estimate) == pytest.approx(expanded.params[0], abs=1e-6)
