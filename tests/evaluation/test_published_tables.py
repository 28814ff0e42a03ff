"""The engine's estimators reproduce published analyses of public data sets shipped in PyPI packages.

* Rossi et al.'s recidivism experiment (432 released prisoners, lifelines.datasets.load_rossi), as
  analysed by Fox ("Cox proportional-hazards regression for survival data", appendix to An R and
  S-PLUS Companion to Applied Regression, 2002; the same table is in the lifelines documentation):
  Cox model with Efron ties of weeks to re-arrest on fin, age, race, wexp, mar, paro and prio.
* The National Supported Work data in Dehejia and Wahba's sample (causaldata's nsw_mixtape and
  cps_mixtape; Dehejia & Wahba 1999, JASA, Table 3): the experimental estimate of the effect on
  1978 earnings is $1,794 (SE 633); NSW participants against CPS controls, unadjusted, -$8,498 (712).
  Matching on the propensity score should recover the experimental benchmark from the CPS controls.
  (The paper's standard errors pool the two arms' variances; the engine's are robust, HC0.)
"""

import numpy as np
import polars as pl
import pytest
from causaldata import cps_mixtape, nsw_mixtape
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi
from lifelines.statistics import logrank_test

from offramp.evaluation.matching import match_nearest
from offramp.evaluation.outcomes import Adjustment, difference_effect
from offramp.evaluation.propensity import fit_propensity
from offramp.evaluation.survival import cox_effect, kaplan_meier, log_rank

# Fox (2002), Table: coef and se(coef), Efron ties.
ROSSI = {
    "fin": (-0.37942, 0.19138),
    "age": (-0.05744, 0.02200),
    "race": (0.31390, 0.30799),
    "wexp": (-0.14980, 0.21222),
    "mar": (-0.43370, 0.38187),
    "paro": (-0.08487, 0.19576),
    "prio": (0.09150, 0.02865),
}
ROSSI_LOG_LIKELIHOOD = -658.75


@pytest.fixture(scope="module")
def rossi():
    return pl.from_pandas(load_rossi())


def test_it_reproduces_foxs_cox_model_of_the_rossi_data(rossi):
    est = cox_effect(
        time=rossi["week"].to_numpy(),
        event=rossi["arrest"].to_numpy(),
        treated=rossi["fin"].to_numpy().astype(bool),
        adjustment=Adjustment(name="regression"),
        covariates=rossi.select(list(ROSSI)[1:]).to_numpy().astype(float),
    )
    coefs, ses = est.extra["coefficients"], est.extra["coefficient_se"]
    for (name, (coef, se)), got, got_se in zip(ROSSI.items(), coefs, ses, strict=True):
        assert got == pytest.approx(coef, abs=5e-5), name
        assert got_se == pytest.approx(se, abs=5e-5), name
    assert est.estimate == pytest.approx(np.exp(-0.37942), abs=1e-4)  # hazard ratio of financial aid, 0.68
    assert est.extra["log_likelihood"] == pytest.approx(ROSSI_LOG_LIKELIHOOD, abs=0.01)
    assert "efron ties" in est.method


def test_it_agrees_with_lifelines_on_the_same_model_curves_and_test():
    frame = load_rossi()
    cph = CoxPHFitter().fit(frame, duration_col="week", event_col="arrest")
    est = cox_effect(
        time=frame["week"].to_numpy(),
        event=frame["arrest"].to_numpy(),
        treated=frame["fin"].to_numpy() == 1,
        adjustment=Adjustment(name="regression"),
        covariates=frame[list(ROSSI)[1:]].to_numpy().astype(float),
    )
    np.testing.assert_allclose(est.extra["coefficients"], cph.params_[list(ROSSI)].to_numpy(), atol=1e-6)

    fin = frame["fin"].to_numpy() == 1
    mine = kaplan_meier(time=frame["week"].to_numpy()[fin], event=frame["arrest"].to_numpy()[fin])
    theirs = KaplanMeierFitter().fit(frame["week"][fin], frame["arrest"][fin]).survival_function_
    for t, s in zip(mine["time"], mine["survival"], strict=True):
        assert s == pytest.approx(float(theirs.loc[:t].iloc[-1, 0]), abs=1e-9)

    lr = log_rank(time=frame["week"].to_numpy(), event=frame["arrest"].to_numpy(), group=fin.astype(int))
    ref = logrank_test(frame["week"][fin], frame["week"][~fin], frame["arrest"][fin], frame["arrest"][~fin])
    assert lr["chi_square"] == pytest.approx(ref.test_statistic, rel=1e-6)
    assert lr["p_value"] == pytest.approx(ref.p_value, rel=1e-6)


@pytest.fixture(scope="module")
def nsw():
    experiment = pl.from_pandas(nsw_mixtape.load_pandas().data).drop("data_id")
    cps = pl.from_pandas(cps_mixtape.load_pandas().data).drop("data_id")
    observational = pl.concat([experiment.filter(pl.col("treat") == 1), cps.select(experiment.columns)])
    return experiment.cast(pl.Float64), observational.cast(pl.Float64)


def test_it_reproduces_the_nsw_experimental_and_naive_estimates(nsw):
    experiment, observational = nsw
    for data, published in ((experiment, 1794), (observational, -8498)):
        y, t = data["re78"].to_numpy(), data["treat"].to_numpy() == 1
        est = difference_effect(y=y, treated=t, adjustment=Adjustment(name="unadjusted"))
        assert round(est.estimate) == published
        # The engine's SE is heteroskedasticity-robust (HC0), not the pooled-variance SE of the paper
        # (633 and 712): HC0 for a difference in means is sqrt(var1/n1 + var0/n0), variances with ddof 0.
        hc0 = np.sqrt(y[t].var() / t.sum() + y[~t].var() / (~t).sum())
        assert est.se == pytest.approx(hc0, rel=1e-9)


def test_it_recovers_the_experimental_benchmark_by_matching_on_cps_controls(nsw):
    _, d = nsw
    # Dehejia and Wahba's propensity specification for the CPS comparison group.
    d = d.with_columns(
        (pl.col("age") ** 2).alias("age2"),
        (pl.col("age") ** 3).alias("age3"),
        (pl.col("educ") ** 2).alias("educ2"),
        (pl.col("re74") == 0).cast(pl.Float64).alias("u74"),
        (pl.col("re75") == 0).cast(pl.Float64).alias("u75"),
        (pl.col("educ") * pl.col("re74")).alias("educ_re74"),
    )
    names = [
        "age",
        "age2",
        "age3",
        "educ",
        "educ2",
        "marr",
        "nodegree",
        "black",
        "hisp",
        "re74",
        "re75",
        "u74",
        "u75",
        "educ_re74",
    ]
    x = d.select(names).to_numpy()
    t, y, ids = d["treat"].to_numpy() == 1, d["re78"].to_numpy(), np.arange(d.height)
    ps = fit_propensity(treated=t, covariates=x / x.std(axis=0), names=names)
    assert ps.converged
    for ratio in (1, 4):
        m = match_nearest(ids=ids, treated=t, logit=ps.logit, ratio=ratio, caliper_sd=0.2, replace=True)
        adj = Adjustment(
            name="matching_with_replacement", weights=m.weights, matches=m, logit=ps.logit, ids=ids
        )
        est = difference_effect(y=y, treated=t, adjustment=adj)
        assert est.ci_low < 1794.34 < est.ci_high, (ratio, est)
        assert est.ci_low > -8497.52 + 5000  # far from the naive comparison
        assert "Abadie-Imbens" in est.method
