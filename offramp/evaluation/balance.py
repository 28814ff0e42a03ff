"""Covariate balance: standardized mean differences (SMD) before and after matching or weighting.

SMD = (mean_treated - mean_comparison) / s, with the same denominator before and after
adjustment: s = sqrt((var_treated + var_comparison) / 2) computed on the unadjusted sample.
Keeping s fixed means a change in the SMD reflects a change in the means, not in the spread.
Binary columns (including each level of a categorical) use the same formula. |SMD| < 0.1 is the
usual threshold for adequate balance.
"""

from __future__ import annotations

import numpy as np

BALANCE_THRESHOLD = 0.1


def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(w * x) / np.sum(w)) if np.sum(w) > 0 else float("nan")


def _wvar(x: np.ndarray, w: np.ndarray) -> float:
    if np.sum(w) <= 0:
        return float("nan")
    m = _wmean(x, w)
    return float(np.sum(w * (x - m) ** 2) / np.sum(w))


def balance_table(
    *, covariates: np.ndarray, names: list[str], treated: np.ndarray, weights: np.ndarray | None = None
) -> list[dict]:
    """One row per column of ``covariates``: means, SMD before and after, variance ratio after.

    ``weights`` are the design weights (matching or IPW) for every row; None means unadjusted.
    """
    t = np.asarray(treated, bool)
    x = np.asarray(covariates, float)
    w = np.ones(t.size) if weights is None else np.asarray(weights, float)
    ones = np.ones(t.size)
    rows = []
    for j, name in enumerate(names):
        col = x[:, j]
        vt, vc = np.var(col[t], ddof=1), np.var(col[~t], ddof=1)
        s = np.sqrt((vt + vc) / 2)
        mt0, mc0 = _wmean(col[t], ones[t]), _wmean(col[~t], ones[~t])
        mt1, mc1 = _wmean(col[t], w[t]), _wmean(col[~t], w[~t])
        smd0 = (mt0 - mc0) / s if s > 0 else 0.0
        smd1 = (mt1 - mc1) / s if s > 0 else 0.0
        vc1 = _wvar(col[~t], w[~t])
        rows.append(
            {
                "covariate": name,
                "mean_treated_before": mt0,
                "mean_comparison_before": mc0,
                "mean_treated_after": mt1,
                "mean_comparison_after": mc1,
                "smd_before": float(smd0),
                "smd_after": float(smd1),
                "variance_ratio_after": float(_wvar(col[t], w[t]) / vc1) if vc1 > 0 else None,
                "balanced": bool(abs(smd1) < BALANCE_THRESHOLD),
            }
        )
    return rows


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size, (sum w)^2 / sum w^2: how many people the weighted group is worth."""
    w = np.asarray(weights, float)
    return float(w.sum() ** 2 / np.sum(w**2)) if np.sum(w**2) > 0 else 0.0
