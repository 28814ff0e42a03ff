"""Propensity score: the probability of being in the intervention arm given the covariates.

Fitted by maximum likelihood (plain logistic regression, no penalty; the same estimate as
statsmodels' ``GLM(family=Binomial())``). We do not use scikit-learn's ``LogisticRegression``: it
applies an L2 penalty by default (C=1.0), which shrinks coefficients towards zero and so towards a score that
ignores confounders, and the size of that shrinkage depends on the scale of each covariate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from offramp.evaluation.design import with_intercept
from offramp.evaluation.glm import glm_fit

ERR_ONE_ARM = "the propensity model needs people in both arms"


class PropensityError(ValueError):
    pass


@dataclass(frozen=True)
class Propensity:
    score: NDArray[Any]  # P(intervention | covariates), one per row
    logit: NDArray[Any]  # log(score / (1 - score)), the linear predictor; matching uses this scale
    params: dict[str, float]
    converged: bool


def fit_propensity(
    *,
    treated: NDArray[Any],
    covariates: NDArray[Any],
    names: list[str],
    with_constant: NDArray[Any] | None = None,
) -> Propensity:
    """``with_constant``: the covariates with a column of ones in front, if the caller has them."""
    t = np.asarray(treated, dtype=float)
    if t.min() == t.max():
        raise PropensityError(ERR_ONE_ARM)
    x = with_intercept(np.asarray(covariates, dtype=float)) if with_constant is None else with_constant
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        # Near-separation shows up as huge coefficients; the caller sees it in the balance table.
        fit = glm_fit(y=t, x=x, family="binomial")
    logit = x @ fit.params
    return Propensity(
        score=1.0 / (1.0 + np.exp(-logit)),
        logit=logit,
        params=dict(zip(["(intercept)", *names], map(float, fit.params), strict=True)),
        converged=bool(fit.converged),
    )


@dataclass(frozen=True)
class GeneralisedScore:
    """P(arm k | covariates) for every arm: one row per person, one column per arm (``arms`` order)."""

    arms: tuple[str, ...]
    scores: NDArray[Any]
    params: dict[str, dict[str, float]]  # per arm (but the reference): coefficient by name
    converged: bool
    design: NDArray[Any]  # the covariates with an intercept column
    info: NDArray[Any]  # information matrix of the (K-1) * p coefficients, arm-major

    def score_contributions(self, arm_index: NDArray[Any]) -> NDArray[Any]:
        """Each person's score for the coefficients (one row per person), arm-major like ``info``."""
        k = len(self.arms)
        y = np.zeros((arm_index.size, k))
        y[np.arange(arm_index.size), arm_index] = 1.0
        resid = (y - self.scores)[:, 1:]
        return np.asarray(
            (resid[:, :, None] * self.design[:, None, :]).reshape(arm_index.size, -1), dtype=float
        )


def fit_generalised_score(
    *, arm_index: NDArray[Any], arms: tuple[str, ...], covariates: NDArray[Any], names: list[str]
) -> GeneralisedScore:
    """Multinomial logit by Newton's method, the first arm as reference (unpenalised, as the binary score)."""
    x = with_intercept(np.asarray(covariates, dtype=float))
    n, p = x.shape
    k = len(arms)
    if np.unique(arm_index).size < k:
        raise PropensityError("the generalised score needs people in every arm")
    y = np.zeros((n, k))
    y[np.arange(n), arm_index] = 1.0
    beta = np.zeros((k - 1, p))

    def probs(b: NDArray[Any]) -> NDArray[Any]:
        eta = np.column_stack([np.zeros(n), x @ b.T])
        eta -= eta.max(axis=1, keepdims=True)
        e = np.exp(eta)
        return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]

    def loglik(pr: NDArray[Any]) -> float:
        return float(np.sum(np.log(np.maximum(pr[np.arange(n), arm_index], 1e-300))))

    pr = probs(beta)
    ll = loglik(pr)
    converged = False
    for _ in range(100):
        score = ((y[:, 1:] - pr[:, 1:]).T @ x).ravel()
        info = np.zeros(((k - 1) * p, (k - 1) * p))
        for a in range(1, k):
            for b in range(a, k):
                v = pr[:, a] * ((a == b) - pr[:, b])
                block = x.T @ (x * v[:, None])
                info[(a - 1) * p : a * p, (b - 1) * p : b * p] = block
                info[(b - 1) * p : b * p, (a - 1) * p : a * p] = block.T
        step = np.linalg.solve(info, score).reshape(k - 1, p)
        for _ in range(40):
            new_pr = probs(beta + step)
            new_ll = loglik(new_pr)
            if new_ll >= ll - 1e-12 * abs(ll):
                break
            step = step / 2
        beta = beta + step
        pr, done = new_pr, abs(new_ll - ll) <= 1e-12 * abs(ll) or float(np.abs(step).max()) < 1e-10
        ll = new_ll
        if done:
            converged = True
            break
    labels = ["(intercept)", *names]
    params = {arms[a]: dict(zip(labels, map(float, beta[a - 1]), strict=True)) for a in range(1, k)}
    return GeneralisedScore(arms=arms, scores=pr, params=params, converged=converged, design=x, info=info)
