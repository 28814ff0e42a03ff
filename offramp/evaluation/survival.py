"""Time to event: Kaplan-Meier curves, the log-rank test and the Cox hazard ratio under a design.

Weighted Kaplan-Meier bands use the infinitesimal-jackknife (robust) variance, the one R's
``survfit(..., robust = TRUE)`` gives for weighted data: each person's influence on S(t), weighted
and squared. It does not change when every weight is multiplied by a constant (Greenwood's formula
on weighted counts does), and with weights of one it is the usual large-sample variance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from statsmodels.duration.survfunc import survdiff

from offramp.evaluation.cox import CoxFit, collapse, cox_fit
from offramp.evaluation.estimate import Adjustment, Estimate, finish, z_value
from offramp.evaluation.glm import CHUNK

Floats = NDArray[Any]


def kaplan_meier(
    *, time: Floats, event: Floats, weights: Floats | None = None, level: float = 0.95
) -> dict[str, Any]:
    """Kaplan-Meier curve with pointwise log(-log) limits; robust (IJ) variance when weighted."""
    time = np.asarray(time, float)
    event = np.asarray(event, float)
    keep = ~np.isnan(time)
    if weights is not None:
        keep &= np.asarray(weights, float) > 0
    time, event = time[keep], event[keep] > 0
    w = np.ones(time.size) if weights is None else np.asarray(weights, float)[keep]
    times, group = np.unique(time, return_inverse=True)
    n_t = times.size
    d = np.bincount(group[event], weights=w[event], minlength=n_t)
    at_risk = np.flip(np.cumsum(np.flip(np.bincount(group, weights=w, minlength=n_t))))
    with np.errstate(divide="ignore", invalid="ignore"):
        s_all = np.cumprod(1 - d / at_risk)
        if weights is None:
            var_log = np.cumsum(np.where(at_risk > d, d / (at_risk * (at_risk - d)), 0.0))
        else:
            var_log = _ij_variance_of_log(group, event, w, d, at_risk)
    shown = d > 0  # report the curve at event times
    s = s_all[shown]
    se = s * np.sqrt(var_log[shown])
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta_se = se / (s * np.abs(np.log(s)))
        lower = np.exp(-np.exp(np.log(-np.log(s)) + z * theta_se))
        upper = np.exp(-np.exp(np.log(-np.log(s)) - z * theta_se))
    edge = (s <= 0) | (s >= 1) | ~np.isfinite(theta_se)
    n_risk = np.flip(np.cumsum(np.flip(np.bincount(group, minlength=n_t))))
    n_events = np.bincount(group[event], minlength=n_t)
    return {
        "time": times[shown].tolist(),
        "survival": s.tolist(),
        "lower": np.where(edge, s, lower).tolist(),
        "upper": np.where(edge, s, upper).tolist(),
        "n_risk": n_risk[shown].astype(float).tolist(),
        "n_events": n_events[shown].astype(float).tolist(),
        "weighted": weights is not None,
        "variance": "Greenwood" if weights is None else "infinitesimal jackknife (robust)",
        "level": level,
    }


def _ij_variance_of_log(group: NDArray[Any], event: NDArray[Any], w: Floats, d: Floats, n: Floats) -> Floats:
    """Var(S(t)) / S(t)^2 = sum_i (w_i A_i(t))^2, with A_i the influence of person i on log S(t):

    A_i(t) = sum over event times t_j <= min(t, t_i) of d_j / (n_j (n_j - d_j))
             - [i dies at t_i <= t] / (n_i - d_i)   (n_i, d_i: at i's own time)
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(n > d, d / (n * (n - d)), 0.0)
        g = np.where(n > d, 1 / (n - d), 0.0)
    cum_h = np.cumsum(h)
    n_t = d.size
    # People still at risk after t contribute H(t)^2 * (their squared weights).
    w2_after = np.flip(np.cumsum(np.flip(np.bincount(group, weights=w**2, minlength=n_t))))
    later = np.concatenate([w2_after[1:], [0.0]])
    # People whose time is <= t contribute a constant from their own time on.
    own = cum_h[group] - np.where(event, g[group], 0.0)
    done = np.cumsum(np.bincount(group, weights=(w * own) ** 2, minlength=n_t))
    return np.asarray(cum_h**2 * later + done, dtype=float)


def log_rank(*, time: Floats, event: Floats, group: NDArray[Any]) -> dict[str, Any]:
    """Log-rank test (statsmodels survdiff); unweighted samples only."""
    time = np.asarray(time, float)
    keep = ~np.isnan(time)
    chisq, p = survdiff(time[keep], np.asarray(event, float)[keep], np.asarray(group)[keep])
    return {
        "chi_square": float(chisq),
        "p_value": float(p),
        "df": int(np.unique(np.asarray(group)[keep]).size - 1),
    }


def _model_tests(fit: CoxFit, names: list[str]) -> dict[str, Any]:
    zph = fit.zph()
    for term, name in zip(zph["terms"], names, strict=True):
        term["term"] = name
    # The warning is about the reported hazard ratio: the treatment's own term.
    zph["violated"] = bool(zph["terms"][0]["p_value"] < 0.05)
    return {
        "likelihood_ratio": fit.likelihood_ratio(),
        "wald": fit.wald(),
        "score": fit.score(),
        "concordance": fit.concordance(),
        "proportional_hazards": zph,
    }


def cox_effect(
    *,
    time: Floats,
    event: Floats,
    treated: NDArray[Any],
    adjustment: Adjustment,
    covariates: Floats | None = None,
    names: list[str] | None = None,
    ties: str = "efron",
    level: float = 0.95,
) -> Estimate:
    """Hazard ratio from a Cox model (Efron ties by default), with the design's weights and SE.

    Matching: the match weights enter the fit, SE clustered by matched set. IPW: weighted fit,
    robust SE. Otherwise model-based SE for the treatment; robust SEs of every coefficient are
    reported as well.
    """
    time = np.asarray(time, float)
    t = np.asarray(treated, bool)
    keep = ~np.isnan(time)
    if adjustment.weights is not None:
        keep &= adjustment.weights > 0
    p = covariates.shape[1] if covariates is not None else 0
    w = None if adjustment.weights is None else adjustment.weights[keep]
    clusters = None if adjustment.clusters is None else adjustment.clusters[keep]
    ev = np.asarray(event, float)[keep]
    if not p and clusters is None:
        # Treatment alone: people with the same day, event and arm are one row (same fit, exactly).
        c = collapse(time=time[keep], event=ev, group=t[keep], weights=w)
        fit = cox_fit(
            time=c.time,
            event=c.event,
            x=c.group,
            weights=c.weights,
            counts=c.counts,
            weight_squares=c.weight_squares,
            ties=ties,
        )
    else:
        # One matrix in time order, filled a block of rows at a time, which the fit then uses as
        # its own (no stacked or sorted copies of a large covariate matrix).
        order = np.argsort(time[keep], kind="stable")
        rows = np.flatnonzero(keep)[order]
        x = np.empty((rows.size, 1 + p))
        x[:, 0] = t[rows]
        for i in range(0, rows.size, CHUNK):
            if covariates is not None and p:
                x[i : i + CHUNK, 1:] = covariates[rows[i : i + CHUNK]]
        fit = cox_fit(
            time=time[rows],
            event=ev[order],
            x=x,
            weights=None if w is None else w[order],
            ties=ties,
            consume_x=True,
        )
        clusters = None if clusters is None else clusters[order]
    robust = fit.robust_cov(clusters)
    if clusters is not None:
        se_t, how = float(np.sqrt(robust[0, 0])), "SE clustered by matched set"
    elif w is not None:
        se_t, how = float(np.sqrt(robust[0, 0])), "robust (sandwich) SE"
    else:
        se_t, how = float(fit.se[0]), "model-based SE"
    label = {
        "unadjusted": "no adjustment",
        "regression": "covariates in the model",
        "matching": "matched sample, match weights",
        "ipw": "inverse-probability weights",
    }.get(adjustment.name, adjustment.name)
    term_names = ["treatment", *(names or [f"x{j + 1}" for j in range(p)])]
    return finish(
        "hazard_ratio",
        float(fit.params[0]),
        se_t,
        level,
        f"Cox regression ({ties} ties); {label}; {how}",
        int(keep.sum()),
        int((keep & t).sum()),
        # The whole model (log hazard ratios): treatment first, then the covariates.
        coefficients=[float(v) for v in fit.params],
        coefficient_se=[float(v) for v in fit.se],
        coefficient_robust_se=[float(v) for v in np.sqrt(np.diag(robust))],
        terms=term_names,
        log_likelihood=fit.loglik,
        events=fit.n_events,
        **_model_tests(fit, term_names),
    )
