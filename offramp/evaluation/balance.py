"""Covariate balance: standardized mean differences (SMD) before and after matching or weighting.

SMD = (mean_treated - mean_comparison) / s, with the same denominator before and after
adjustment: s = sqrt((var_treated + var_comparison) / 2) computed on the unadjusted sample.
Keeping s fixed means a change in the SMD reflects a change in the means, not in the spread.
Binary columns (including each level of a categorical) use the same formula. |SMD| < 0.1 is the
usual threshold for adequate balance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[Any]

BALANCE_THRESHOLD = 0.1


def _moments(x: Floats, w: Floats) -> tuple[Floats, Floats]:
    """Weighted means and (population) variances of every column."""
    total = w.sum()
    if total <= 0:
        nan = np.full(x.shape[1], np.nan)
        return nan, nan
    mean = (w @ x) / total
    var = (w @ (x * x)) / total - mean**2
    return mean, np.maximum(var, 0.0)


def balance_table(
    *,
    covariates: Floats,
    names: list[str],
    treated: NDArray[Any],
    weights: Floats | None = None,
) -> list[dict[str, Any]]:
    """One row per column of ``covariates``: means, SMD before and after, variance ratio after.

    ``weights`` are the design weights (matching or IPW) for every row; None means unadjusted.
    """
    t = np.asarray(treated, bool)
    x = np.asarray(covariates, float)
    w = np.ones(t.size) if weights is None else np.asarray(weights, float)
    xt, xc = x[t], x[~t]
    nt, nc = xt.shape[0], xc.shape[0]
    mt0, vt0 = _moments(xt, np.ones(nt))
    mc0, vc0 = _moments(xc, np.ones(nc))
    # Sample variances (ddof = 1) for the fixed denominator.
    s = np.sqrt((vt0 * nt / max(nt - 1, 1) + vc0 * nc / max(nc - 1, 1)) / 2)
    mt1, vt1 = _moments(xt, w[t])
    mc1, vc1 = _moments(xc, w[~t])
    with np.errstate(divide="ignore", invalid="ignore"):
        smd0 = np.where(s > 0, (mt0 - mc0) / s, 0.0)
        smd1 = np.where(s > 0, (mt1 - mc1) / s, 0.0)
    rows = []
    for j, name in enumerate(names):
        rows.append(
            {
                "covariate": name,
                "mean_treated_before": float(mt0[j]),
                "mean_comparison_before": float(mc0[j]),
                "mean_treated_after": float(mt1[j]),
                "mean_comparison_after": float(mc1[j]),
                "smd_before": float(smd0[j]),
                "smd_after": float(smd1[j]),
                "variance_ratio_after": float(vt1[j] / vc1[j]) if vc1[j] > 0 else None,
                "balanced": bool(abs(smd1[j]) < BALANCE_THRESHOLD),
            }
        )
    return rows


def effective_sample_size(weights: Floats) -> float:
    """Kish's effective sample size, (sum w)^2 / sum w^2: how many people the weighted group is worth."""
    w = np.asarray(weights, float)
    return float(w.sum() ** 2 / np.sum(w**2)) if np.sum(w**2) > 0 else 0.0
