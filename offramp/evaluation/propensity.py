"""Propensity score: the probability of being in the intervention arm given the covariates.

Fitted by maximum likelihood with statsmodels ``GLM(family=Binomial())`` (plain logistic
regression, no penalty). We do not use scikit-learn's ``LogisticRegression``: it applies an L2
penalty by default (C=1.0), which shrinks coefficients towards zero and so towards a score that
ignores confounders, and the size of that shrinkage depends on the scale of each covariate.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from offramp.evaluation.design import with_intercept

ERR_ONE_ARM = "the propensity model needs people in both arms"


class PropensityError(ValueError):
    pass


@dataclass(frozen=True)
class Propensity:
    score: np.ndarray  # P(intervention | covariates), one per row
    logit: np.ndarray  # log(score / (1 - score)), the linear predictor; matching uses this scale
    params: dict[str, float]
    converged: bool


def fit_propensity(*, treated: np.ndarray, covariates: np.ndarray, names: list[str]) -> Propensity:
    treated = np.asarray(treated, dtype=float)
    if treated.min() == treated.max():
        raise PropensityError(ERR_ONE_ARM)
    x = with_intercept(np.asarray(covariates, dtype=float))
    with warnings.catch_warnings():
        # Near-separation shows up as huge coefficients; the caller sees it in the balance table.
        warnings.simplefilter("ignore")
        fit = sm.GLM(treated, x, family=sm.families.Binomial()).fit(maxiter=100)
    logit = x @ fit.params
    return Propensity(
        score=1.0 / (1.0 + np.exp(-logit)),
        logit=logit,
        params=dict(zip(["(intercept)", *names], map(float, fit.params), strict=True)),
        converged=bool(fit.converged),
    )
