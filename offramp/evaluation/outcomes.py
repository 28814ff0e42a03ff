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

from typing import Any

import numpy as np
from numpy.typing import NDArray

from offramp.evaluation.estimate import Adjustment, Estimate, finish
from offramp.evaluation.glm import glm_fit, glm_two_groups

Floats = NDArray[Any]
Bools = NDArray[Any]
ERR_AI_MISSING = "matching with replacement needs a known outcome for every comparison person"


def _rows(y: Floats, adj: Adjustment) -> Bools:
    keep = ~np.isnan(y)
    if adj.weights is not None:
        keep &= adj.weights > 0
    return keep


def _glm(
    y: Floats,
    treated: Bools,
    covariates: Floats | None,
    adj: Adjustment,
    family: str,
    exposure: Floats | None = None,
    model: Floats | None = None,
) -> tuple[Any, Bools, int]:
    """The fit, the rows it used and the treatment's coefficient index. ``model``: the model
    matrix for every row, built by the caller (treatment, intercept, then ``covariates``)."""
    keep = _rows(y, adj)
    p = covariates.shape[1] if covariates is not None else 0
    if model is not None and p:
        w = keep.astype(float) if adj.weights is None else np.where(keep, adj.weights, 0.0)
        fit = glm_fit(
            y=np.where(keep, y, 0.0),
            x=model,
            family=family,
            weights=w,
            offset=None if exposure is None else np.log(np.where(keep, exposure, 1.0)),
            clusters=adj.clusters,
            intercept=1,
        )
        return fit, keep, 0
    if not p:
        closed = glm_two_groups(
            y=y[keep],
            group=treated[keep],
            family=family,
            weights=None if adj.weights is None else adj.weights[keep],
            offset=None if exposure is None else np.log(exposure[keep]),
            clusters=None if adj.clusters is None else adj.clusters[keep],
        )
        if closed is not None:
            return closed, keep, 1
    # Intercept, treatment, covariates: filled into one matrix rather than stacked copy by copy.
    x = np.empty((int(keep.sum()), 2 + p))
    x[:, 0] = 1.0
    x[:, 1] = treated[keep]
    if covariates is not None and p:
        x[:, 2:] = covariates if keep.all() else covariates[keep]
    fit = glm_fit(
        y=y[keep],
        x=x,
        family=family,
        weights=None if adj.weights is None else adj.weights[keep],
        offset=None if exposure is None else np.log(exposure[keep]),
        clusters=None if adj.clusters is None else adj.clusters[keep],
    )
    return fit, keep, 1


def _describe(adj: Adjustment, covariates: Floats | None) -> str:
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
    y: Floats,
    treated: Bools,
    adjustment: Adjustment,
    covariates: Floats | None = None,
    level: float = 0.95,
    model: Floats | None = None,
) -> Estimate:
    """Odds ratio for a 0/1 outcome (missing = censored, dropped)."""
    return _glm_effect(
        "odds_ratio",
        "logistic regression",
        "binomial",
        y=y,
        treated=treated,
        adjustment=adjustment,
        covariates=covariates,
        level=level,
        model=model,
    )


def count_effect(
    *,
    y: Floats,
    treated: Bools,
    adjustment: Adjustment,
    covariates: Floats | None = None,
    exposure: Floats | None = None,
    level: float = 0.95,
    model: Floats | None = None,
) -> Estimate:
    """Incidence-rate ratio from a Poisson model with a robust SE (valid under overdispersion)."""
    y = np.asarray(y, float)
    t = np.asarray(treated, bool)
    if adjustment.name == "matching_with_replacement":
        if exposure is not None:
            return ai_rate_ratio(events=y, time=exposure, treated=t, adjustment=adjustment, level=level)
        return ai_effect(y=y, treated=t, adjustment=adjustment, measure="rate_ratio", level=level)
    fit, keep, j = _glm(y, t, covariates, adjustment, "poisson", exposure=exposure, model=model)
    return finish(
        "rate_ratio",
        float(fit.params[j]),
        float(fit.se[j]),
        level,
        "Poisson regression; " + _describe(adjustment, covariates),
        int(keep.sum()),
        int((keep & t).sum()),
        dispersion=fit.dispersion,
        overdispersed=bool(fit.dispersion > 1.5),
        **_weighted_means(y, t, keep, adjustment),
    )


def mean_effect(
    *,
    y: Floats,
    treated: Bools,
    adjustment: Adjustment,
    covariates: Floats | None = None,
    level: float = 0.95,
    model: Floats | None = None,
) -> Estimate:
    """Difference in (weighted, covariate-adjusted) means of a continuous outcome: linear model, robust SE."""
    return _glm_effect(
        "mean_difference",
        "linear regression",
        "gaussian",
        y=y,
        treated=treated,
        adjustment=adjustment,
        covariates=covariates,
        level=level,
        model=model,
    )


def _weighted_means(y: Floats, t: Bools, keep: Bools, adj: Adjustment) -> dict[str, float | None]:
    w = keep.astype(float) if adj.weights is None else np.where(keep, adj.weights, 0.0)
    arm = np.asarray(t, np.int64)
    totals = np.bincount(arm, weights=w, minlength=2)
    sums = np.bincount(arm, weights=np.where(keep, y, 0.0) * w, minlength=2)
    return {
        "mean_treated": float(sums[1] / totals[1]) if totals[1] > 0 else None,
        "mean_comparison": float(sums[0] / totals[0]) if totals[0] > 0 else None,
    }


def _within_arm_sigma2(y: NDArray[Any], logit: NDArray[Any], ids_order: NDArray[Any], j: int) -> NDArray[Any]:
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


def ai_variance(*, y: NDArray[Any], treated: NDArray[Any], adjustment: Adjustment) -> tuple[float, float]:
    """Matching estimate of the ATT and its Abadie-Imbens (2006) variance.

    With N1 matched treated people, control j's weight w_j (its share of matches) and
    q_j = sum over the treated it matched of 1/m_i^2 (m_i = that person's number of matches):

        tau = mean_treated(y) - sum_j w_j y_j / N1
        V   = [ sum_treated (y_i - yhat_i(0) - tau)^2 + sum_controls (w_j^2 - q_j) sigma2_j ] / N1^2

    With m_i = M for everyone, w_j^2 - q_j = K_j (K_j - 1) / M^2, AI's formula for the population ATT.
    ``yhat_i(0)`` is the mean of i's matches; sigma2_j is estimated from j's nearest same-arm neighbours.
    """
    m = adjustment.require_matches()
    t = np.asarray(treated, bool)
    y = np.asarray(y, float)
    rows_t = m.matched_treated
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
    sigma2 = _within_arm_sigma2(
        y[c_rows], adjustment.require_logit()[c_rows], ids[c_rows], adjustment.neighbours
    )
    extra = (w[c_rows] ** 2 - m.sq_weights[c_rows]) * sigma2
    var = (np.sum(resid**2) + np.sum(extra)) / n1**2
    return float(tau), float(var)


def ai_effect(
    *, y: NDArray[Any], treated: NDArray[Any], adjustment: Adjustment, measure: str, level: float = 0.95
) -> Estimate:
    """ATT from matching with replacement, on the difference, odds-ratio or ratio-of-means scale."""
    y = np.asarray(y, float)
    t = np.asarray(treated, bool)
    m = adjustment.require_matches()
    if np.isnan(y[m.weights > 0]).any() or np.isnan(y[~t]).any():
        # Censored people must be left out before matching (match among those with full follow-up).
        raise ValueError(ERR_AI_MISSING)
    rows_t = m.matched_treated
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
    return finish(
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
    *,
    events: NDArray[Any],
    time: NDArray[Any],
    treated: NDArray[Any],
    adjustment: Adjustment,
    level: float = 0.95,
) -> Estimate:
    """Events per person-time, LEAD over comparison, after matching with replacement (AI SE)."""
    t = np.asarray(treated, bool)
    d = np.asarray(events, float)
    tm = np.asarray(time, float)
    m = adjustment.require_matches()
    rows_t = m.matched_treated
    n1 = rows_t.size
    w = m.weights
    d1, t1 = d[rows_t].mean(), tm[rows_t].mean()
    d0, t0 = np.sum(w[~t] * d[~t]) / n1, np.sum(w[~t] * tm[~t]) / n1
    r1, r0 = d1 / t1, d0 / t0
    # Linearised log rate: (d - r * time) / mean(d) for each arm.
    lin = np.where(t, (d - r1 * tm) / d1, (d - r0 * tm) / d0)
    _, var = ai_variance(y=lin, treated=t, adjustment=adjustment)
    return finish(
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


def difference_effect(*, y: Floats, treated: Bools, adjustment: Adjustment, level: float = 0.95) -> Estimate:
    """Difference in (weighted) means with the design's SE: used for cost changes (DiD)."""
    return _glm_effect(
        "mean_difference",
        "difference in means",
        "gaussian",
        y=y,
        treated=treated,
        adjustment=adjustment,
        covariates=None,
        level=level,
    )


def _glm_effect(
    measure: str,
    method: str,
    family: str,
    *,
    y: Floats,
    treated: Bools,
    adjustment: Adjustment,
    covariates: Floats | None,
    level: float,
    model: Floats | None = None,
) -> Estimate:
    """The treatment coefficient of a GLM under the design, or Abadie-Imbens for matching with replacement."""
    y = np.asarray(y, float)
    t = np.asarray(treated, bool)
    if adjustment.name == "matching_with_replacement":
        return ai_effect(y=y, treated=t, adjustment=adjustment, measure=measure, level=level)
    fit, keep, j = _glm(y, t, covariates, adjustment, family, model=model)
    return finish(
        measure,
        float(fit.params[j]),
        float(fit.se[j]),
        level,
        f"{method}; " + _describe(adjustment, covariates),
        int(keep.sum()),
        int((keep & t).sum()),
        **_weighted_means(y, t, keep, adjustment),
    )
