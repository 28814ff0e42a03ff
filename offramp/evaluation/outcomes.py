"""Effect estimates with standard errors that fit the design.

Which standard error goes with which design (see docs/evaluation.md):

* no adjustment, or covariate regression on everyone: heteroskedasticity-robust (HC0) sandwich.
* IPW: weighted model (statsmodels ``var_weights``) with the HC0 sandwich. This treats the
  weights as known, which is conservative for the ATE and usually close for the ATT.
* matching without replacement: model on the matched sample, clustered by matched set (a treated
  person and their controls), since the members of a set are not independent.
* matching with replacement: the Abadie-Imbens (2006) variance of the matching estimator of the
  ATT. Pair bootstraps are invalid here (Abadie & Imbens 2008), so none is offered. Ratio
  measures (odds, rate and hazard ratios) are linearised (delta method): the AI formula is applied
  to each person's contribution to the log ratio.

Models: logistic (GLM Binomial) for odds ratios; Poisson (GLM) with a robust SE for incidence-rate
ratios, which stays valid under overdispersion (the Pearson dispersion is reported); Cox (PHReg,
``ties="efron"`` by default, statsmodels' default is Breslow) for hazard ratios.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from offramp.evaluation.matching import Matches


@dataclass(frozen=True)
class Estimate:
    measure: str  # odds_ratio, rate_ratio, hazard_ratio, risk_difference, mean_difference
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    se: float  # on the model scale: log for ratios
    method: str
    n: int
    n_treated: int
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Adjustment:
    """How the comparison is made fair: which weights, clusters or matches go into every model."""

    name: str  # unadjusted | regression | ipw | matching | matching_with_replacement
    weights: np.ndarray | None = None
    clusters: np.ndarray | None = None
    matches: Matches | None = None
    logit: np.ndarray | None = None
    ids: np.ndarray | None = None  # stable ids, for deterministic neighbour ties
    neighbours: int = 2  # J, for the Abadie-Imbens conditional variance


ERR_AI_MISSING = "matching with replacement needs a known outcome for every comparison person"
RATIO = {"odds_ratio", "rate_ratio", "hazard_ratio"}


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def _finish(
    measure: str, b: float, se: float, level: float, method: str, n: int, n_treated: int, **extra
) -> Estimate:
    z = _z(level)
    p = float(2 * stats.norm.sf(abs(b / se))) if se > 0 and np.isfinite(se) else float("nan")
    lo, hi = b - z * se, b + z * se
    if measure in RATIO:
        b, lo, hi = np.exp(b), np.exp(lo), np.exp(hi)
    return Estimate(
        measure=measure,
        estimate=float(b),
        ci_low=float(lo),
        ci_high=float(hi),
        p_value=p,
        se=float(se),
        method=method,
        n=int(n),
        n_treated=int(n_treated),
        extra=extra,
    )


def _rows(y: np.ndarray, adj: Adjustment) -> np.ndarray:
    keep = ~np.isnan(y)
    if adj.weights is not None:
        keep &= adj.weights > 0
    return keep


def _glm(y, treated, covariates, adj: Adjustment, family, exposure=None):
    keep = _rows(y, adj)
    # Intercept, treatment, covariates: filled into one matrix rather than stacked copy by copy.
    p = covariates.shape[1] if covariates is not None else 0
    x = np.empty((int(keep.sum()), 2 + p))
    x[:, 0] = 1.0
    x[:, 1] = treated[keep]
    if p:
        x[:, 2:] = covariates[keep]
    kw = {}
    if adj.weights is not None:
        kw["var_weights"] = adj.weights[keep]
    if exposure is not None:
        kw["exposure"] = exposure[keep]
    if adj.clusters is not None:
        cov = {"cov_type": "cluster", "cov_kwds": {"groups": adj.clusters[keep]}}
    else:
        cov = {"cov_type": "HC0"}
    with warnings.catch_warnings():
        # statsmodels warns that robust covariances are "not fully supported" with var_weights; the
        # HC0 and cluster sandwiches it computes are the standard weighted ones (checked in tests).
        warnings.simplefilter("ignore")
        fit = sm.GLM(y[keep], x, family=family, **kw).fit(**cov)
    return fit, keep


def _describe(adj: Adjustment, covariates) -> str:
    base = {
        "unadjusted": "no adjustment, robust (HC0) SE",
        "regression": "covariates in the model, robust (HC0) SE",
        "ipw": "inverse-probability weights, robust (HC0) SE",
        "matching": "matched sample, SE clustered by matched set",
        "matching_with_replacement": "matched with replacement, Abadie-Imbens SE",
    }[adj.name]
    if covariates is not None and covariates.shape[1] and adj.name not in ("regression",):
        base += ", covariates in the model"
    return base


def binary_effect(
    *,
    y: np.ndarray,
    treated: np.ndarray,
    adjustment: Adjustment,
    covariates: np.ndarray | None = None,
    level: float = 0.95,
) -> Estimate:
    """Odds ratio for a 0/1 outcome (missing = censored, dropped)."""
    return _glm_effect(
        "odds_ratio", "logistic regression", sm.families.Binomial(),
        y=y, treated=treated, adjustment=adjustment, covariates=covariates, level=level,
    )  # fmt: skip


def count_effect(
    *,
    y: np.ndarray,
    treated: np.ndarray,
    adjustment: Adjustment,
    covariates: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    level: float = 0.95,
) -> Estimate:
    """Incidence-rate ratio from a Poisson model with a robust SE (valid under overdispersion)."""
    y = np.asarray(y, float)
    t = np.asarray(treated, bool)
    if adjustment.name == "matching_with_replacement":
        if exposure is not None:
            return ai_rate_ratio(events=y, time=exposure, treated=t, adjustment=adjustment, level=level)
        return ai_effect(y=y, treated=t, adjustment=adjustment, measure="rate_ratio", level=level)
    fit, keep = _glm(y, t, covariates, adjustment, sm.families.Poisson(), exposure=exposure)
    dispersion = float(fit.pearson_chi2 / fit.df_resid) if fit.df_resid > 0 else float("nan")
    return _finish(
        "rate_ratio",
        fit.params[1],
        fit.bse[1],
        level,
        "Poisson regression; " + _describe(adjustment, covariates),
        keep.sum(),
        (keep & t).sum(),
        dispersion=dispersion,
        overdispersed=bool(dispersion > 1.5),
        **_weighted_means(y, t, keep, adjustment),
    )


def _weighted_means(y, t, keep, adj: Adjustment) -> dict:
    w = np.ones(y.size) if adj.weights is None else adj.weights
    k1, k0 = keep & t, keep & ~t
    return {
        "mean_treated": float(np.average(y[k1], weights=w[k1])) if w[k1].sum() > 0 else None,
        "mean_comparison": float(np.average(y[k0], weights=w[k0])) if w[k0].sum() > 0 else None,
    }


def _within_arm_sigma2(y: np.ndarray, logit: np.ndarray, ids_order: np.ndarray, j: int) -> np.ndarray:
    """AI conditional variance: J/(J+1) * (y - mean of the J nearest same-arm neighbours)^2.

    Neighbours are found on the logit among people of the same arm, excluding the person. People are
    sorted by (logit, id); ties in distance go to the neighbour earlier in that order.
    """
    n = y.size
    if n < 2:
        return np.zeros(n)
    j = min(j, n - 1)
    order = np.lexsort((ids_order, logit))
    ys, xs = y[order], logit[order]
    offsets = np.array([o for k in range(1, j + 1) for o in (-k, k)])
    pos = np.arange(n)[:, None] + offsets[None, :]
    valid = (pos >= 0) & (pos < n)
    posc = np.clip(pos, 0, n - 1)
    dist = np.where(valid, np.abs(xs[posc] - xs[:, None]), np.inf)
    pick = np.argsort(dist, axis=1, kind="stable")[:, :j]
    nbr = np.take_along_axis(posc, pick, axis=1)
    s2 = (j / (j + 1)) * (ys - ys[nbr].mean(axis=1)) ** 2
    out = np.empty(n)
    out[order] = s2
    return out


def ai_variance(*, y: np.ndarray, treated: np.ndarray, adjustment: Adjustment) -> tuple[float, float]:
    """Matching estimate of the ATT and its Abadie-Imbens (2006) variance.

    With N1 matched treated people, control j's weight w_j (its share of matches) and
    q_j = sum over the treated it matched of 1/m_i^2 (m_i = that person's number of matches):

        tau = mean_treated(y) - sum_j w_j y_j / N1
        V   = [ sum_treated (y_i - yhat_i(0) - tau)^2 + sum_controls (w_j^2 - q_j) sigma2_j ] / N1^2

    With m_i = M for everyone, w_j^2 - q_j = K_j (K_j - 1) / M^2, AI's formula for the population ATT.
    ``yhat_i(0)`` is the mean of i's matches; sigma2_j is estimated from j's nearest same-arm neighbours.
    """
    m = adjustment.matches
    t = np.asarray(treated, bool)
    y = np.asarray(y, float)
    rows_t = np.unique(m.treated_index)
    n1 = rows_t.size
    n_match = np.bincount(m.treated_index, minlength=y.size).astype(float)
    yhat0 = np.zeros(y.size)
    np.add.at(yhat0, m.treated_index, y[m.control_index] / n_match[m.treated_index])
    w = m.weights
    used = ~t & (w > 0)
    tau = y[rows_t].mean() - np.sum(w[used] * y[used]) / n1
    resid = y[rows_t] - yhat0[rows_t] - tau
    c_rows = np.flatnonzero(~t)
    ids = np.arange(y.size) if adjustment.ids is None else adjustment.ids
    sigma2 = _within_arm_sigma2(y[c_rows], adjustment.logit[c_rows], ids[c_rows], adjustment.neighbours)
    extra = (w[c_rows] ** 2 - m.sq_weights[c_rows]) * sigma2
    var = (np.sum(resid**2) + np.sum(extra)) / n1**2
    return float(tau), float(var)


def ai_effect(
    *, y: np.ndarray, treated: np.ndarray, adjustment: Adjustment, measure: str, level: float = 0.95
) -> Estimate:
    """ATT from matching with replacement, on the difference, odds-ratio or ratio-of-means scale."""
    y = np.asarray(y, float)
    t = np.asarray(treated, bool)
    m = adjustment.matches
    if np.isnan(y[m.weights > 0]).any() or np.isnan(y[~t]).any():
        # Censored people must be left out before matching (match among those with full follow-up).
        raise ValueError(ERR_AI_MISSING)
    rows_t = np.unique(m.treated_index)
    n1 = rows_t.size
    p1 = y[rows_t].mean()
    p0 = np.sum(m.weights[~t] * y[~t]) / n1
    if measure == "risk_difference" or measure == "mean_difference":
        tau, var = ai_variance(y=y, treated=t, adjustment=adjustment)
        b = tau
    else:
        if measure == "odds_ratio":
            a1, a0 = 1 / (p1 * (1 - p1)), 1 / (p0 * (1 - p0))
            b = np.log(p1 / (1 - p1)) - np.log(p0 / (1 - p0))
        elif measure == "rate_ratio":
            a1, a0 = 1 / p1, 1 / p0
            b = np.log(p1 / p0)
        else:
            raise ValueError(f"unknown measure {measure!r}")
        _, var = ai_variance(y=np.where(t, a1 * y, a0 * y), treated=t, adjustment=adjustment)
    se = float(np.sqrt(var))
    return _finish(
        measure,
        b,
        se,
        level,
        "matching with replacement; Abadie-Imbens SE",
        n1 + (m.weights[~t] > 0).sum(),
        n1,
        mean_treated=float(p1),
        mean_comparison=float(p0),
    )


def ai_rate_ratio(
    *, events: np.ndarray, time: np.ndarray, treated: np.ndarray, adjustment: Adjustment, level: float = 0.95
) -> Estimate:
    """Events per person-time, LEAD over comparison, after matching with replacement (AI SE)."""
    t = np.asarray(treated, bool)
    d = np.asarray(events, float)
    tm = np.asarray(time, float)
    m = adjustment.matches
    rows_t = np.unique(m.treated_index)
    n1 = rows_t.size
    w = m.weights
    d1, t1 = d[rows_t].mean(), tm[rows_t].mean()
    d0, t0 = np.sum(w[~t] * d[~t]) / n1, np.sum(w[~t] * tm[~t]) / n1
    r1, r0 = d1 / t1, d0 / t0
    # Linearised log rate: (d - r * time) / mean(d) for each arm.
    lin = np.where(t, (d - r1 * tm) / d1, (d - r0 * tm) / d0)
    _, var = ai_variance(y=lin, treated=t, adjustment=adjustment)
    return _finish(
        "rate_ratio",
        float(np.log(r1 / r0)),
        float(np.sqrt(var)),
        level,
        "events per person-time (exponential model), matching with replacement; Abadie-Imbens SE",
        n1 + (w[~t] > 0).sum(),
        n1,
        rate_treated=float(r1),
        rate_comparison=float(r0),
    )


def difference_effect(
    *, y: np.ndarray, treated: np.ndarray, adjustment: Adjustment, level: float = 0.95
) -> Estimate:
    """Difference in (weighted) means with the design's SE: used for cost changes (DiD)."""
    return _glm_effect(
        "mean_difference", "difference in means", sm.families.Gaussian(),
        y=y, treated=treated, adjustment=adjustment, covariates=None, level=level,
    )  # fmt: skip


def _glm_effect(measure, method, family, *, y, treated, adjustment, covariates, level) -> Estimate:
    """The treatment coefficient of a GLM under the design, or Abadie-Imbens for matching with replacement."""
    y = np.asarray(y, float)
    t = np.asarray(treated, bool)
    if adjustment.name == "matching_with_replacement":
        return ai_effect(y=y, treated=t, adjustment=adjustment, measure=measure, level=level)
    fit, keep = _glm(y, t, covariates, adjustment, family)
    return _finish(
        measure,
        fit.params[1],
        fit.bse[1],
        level,
        f"{method}; " + _describe(adjustment, covariates),
        keep.sum(),
        (keep & t).sum(),
        **_weighted_means(y, t, keep, adjustment),
    )


# --- survival -------------------------------------------------------------------------------------


def kaplan_meier(
    *, time: np.ndarray, event: np.ndarray, weights: np.ndarray | None = None, level: float = 0.95
) -> dict:
    """Kaplan-Meier curve with pointwise log(-log) confidence limits (statsmodels SurvfuncRight).

    With weights, the curve uses them as frequency weights and the Greenwood variance is inflated by
    Kish's design effect n * sum(w^2) / sum(w)^2: an approximation, flagged in the output.
    """
    time = np.asarray(time, float)
    event = np.asarray(event, float)
    keep = ~np.isnan(time)
    if weights is not None:
        keep &= weights > 0
    time, event = time[keep], event[keep]
    w = None if weights is None else np.asarray(weights, float)[keep]
    sf = SurvfuncRight(time, event, freq_weights=w)
    s = np.asarray(sf.surv_prob, float)
    if w is None:
        se = np.asarray(sf.surv_prob_se, float)
    else:
        d = np.asarray(sf.n_events, float)
        n = np.asarray(sf.n_risk, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.cumsum(np.where(n > d, d / (n * (n - d)), 0.0))
        deff = w.size * np.sum(w**2) / np.sum(w) ** 2
        se = s * np.sqrt(g * deff)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta_se = se / (s * np.abs(np.log(s)))
        lower = np.exp(-np.exp(np.log(-np.log(s)) + z * theta_se))
        upper = np.exp(-np.exp(np.log(-np.log(s)) - z * theta_se))
    edge = (s <= 0) | (s >= 1) | ~np.isfinite(theta_se)
    lower = np.where(edge, s, lower)
    upper = np.where(edge, s, upper)
    return {
        "time": sf.surv_times.tolist(),
        "survival": s.tolist(),
        "lower": lower.tolist(),
        "upper": upper.tolist(),
        "n_risk": np.asarray(sf.n_risk, float).tolist(),
        "n_events": np.asarray(sf.n_events, float).tolist(),
        "weighted": w is not None,
        "level": level,
    }


def log_rank(*, time: np.ndarray, event: np.ndarray, group: np.ndarray) -> dict:
    """Log-rank test (statsmodels survdiff); unweighted samples only."""
    time = np.asarray(time, float)
    keep = ~np.isnan(time)
    chisq, p = survdiff(time[keep], np.asarray(event, float)[keep], np.asarray(group)[keep])
    return {
        "chi_square": float(chisq),
        "p_value": float(p),
        "df": int(np.unique(np.asarray(group)[keep]).size - 1),
    }


def _cox_cluster_cov(model: PHReg, params: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    # statsmodels' own robust_covariance returns NaN when anyone is censored before the first event
    # (their score residual is NaN, not 0), so the sandwich is assembled here.
    score = np.nan_to_num(model.score_residuals(params))
    _, inv = np.unique(clusters, return_inverse=True)
    summed = np.zeros((inv.max() + 1, score.shape[1]))
    np.add.at(summed, inv, score)
    h_inv = np.linalg.inv(model.hessian(params))
    return h_inv @ (summed.T @ summed) @ h_inv


def cox_effect(
    *,
    time: np.ndarray,
    event: np.ndarray,
    treated: np.ndarray,
    adjustment: Adjustment,
    covariates: np.ndarray | None = None,
    ties: str = "efron",
    level: float = 0.95,
) -> Estimate:
    """Hazard ratio from a Cox model (PHReg, Efron ties), plus a proportional-hazards check.

    Matching without replacement: SE clustered by matched set. PHReg takes no case weights, so for
    IPW and matching with replacement use :func:`count_effect` with ``exposure=time`` instead (a
    constant-hazard rate ratio).
    """
    time = np.asarray(time, float)
    t = np.asarray(treated, bool)
    keep = ~np.isnan(time)
    x = t[keep, None].astype(float)
    if covariates is not None and covariates.shape[1]:
        x = np.column_stack([x, covariates[keep]])
    model = PHReg(time[keep], x, status=np.asarray(event, float)[keep], ties=ties)
    fit = model.fit()
    params = fit.params
    if adjustment.clusters is not None:
        cov = _cox_cluster_cov(model, params, adjustment.clusters[keep])
        se_t = float(np.sqrt(cov[0, 0]))
        how = "SE clustered by matched set"
    else:
        # Model-based SE: a robust one needs score residuals, which statsmodels computes in a slow loop.
        se_t = float(fit.bse[0])
        how = "model-based SE"
    ph = ph_check(fit=fit, time=time[keep], event=np.asarray(event, float)[keep])
    label = {
        "unadjusted": "no adjustment",
        "regression": "covariates in the model",
        "matching": "matched sample",
    }.get(adjustment.name, adjustment.name)
    return _finish(
        "hazard_ratio",
        float(params[0]),
        se_t,
        level,
        f"Cox regression ({ties} ties); {label}; {how}",
        keep.sum(),
        (keep & t).sum(),
        proportional_hazards=ph,
        # The whole model (log hazard ratios, model-based SEs): treatment first, then the covariates.
        coefficients=[float(v) for v in params],
        coefficient_se=[float(v) for v in fit.bse],
        log_likelihood=float(fit.llf),
    )


def ph_check(*, fit, time: np.ndarray, event: np.ndarray) -> dict:
    """Correlation of the treatment's Schoenfeld residuals with the rank of event time.

    Under proportional hazards the residuals do not trend with time. This is the idea behind the
    Grambsch-Therneau test, in its simplest (unscaled, single-term) form: read it as a warning light.
    """
    resid = np.asarray(fit.schoenfeld_residuals)[:, 0]
    ok = (event > 0) & ~np.isnan(resid)
    if ok.sum() < 3:
        return {"rho": None, "p_value": None, "violated": None}
    rho, p = stats.pearsonr(resid[ok], stats.rankdata(time[ok]))
    return {"rho": float(rho), "p_value": float(p), "violated": bool(p < 0.05)}
