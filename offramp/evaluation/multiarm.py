"""Every arm against every other in one target population: LEAD vs drug court vs booking as usual.

Two-arm contrasts each fit their own score, so "LEAD vs booking" and "drug court vs booking" describe
different people and cannot be set side by side. Here one generalised propensity score (a
multinomial logit over all arms) defines one target population for every pair:

* common support (Lopez & Gutman 2017): people whose score vector lies, for every arm's score,
  between the largest of the arms' minima and the smallest of their maxima;
* estimand "ate": everyone in support; "att": the people of ``matching.target_arm`` in support;
* IPW (``method = "ipw"``): weight 1/e_A(x) (ATE) or e_t(x)/e_A(x) (ATT), so every arm is re-weighted
  to the same population; each pair's model is fitted on the two arms with those weights (robust SE);
* vector matching (``method = "nearest"``, ATT; Lopez & Gutman): within strata of the other arms'
  logit scores (k-means, 5 clusters), each target person gets the nearest person of every other arm
  on the logit of that arm's score, with replacement; the pair's effect compares the matched means,
  with an Abadie-Imbens variance;
* intervals are Bonferroni-adjusted for the number of pairs (each at 1 - alpha / pairs) and say so;
  unadjusted intervals are kept in the JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.vq import kmeans2

from offramp.evaluation.balance import balance_table
from offramp.evaluation.cox import cox_fit
from offramp.evaluation.design import design_matrix
from offramp.evaluation.estimate import finish, z_value
from offramp.evaluation.glm import glm_fit
from offramp.evaluation.labels import covariate_label
from offramp.evaluation.outcomes import _within_arm_sigma2
from offramp.evaluation.propensity import GeneralisedScore, fit_generalised_score
from offramp.evaluation.run import ESTIMATION_ERRORS, Result, column
from offramp.evaluation.study import Study

Floats = NDArray[Any]
Bools = NDArray[Any]
STRATA = 5


def common_support(scores: Floats, arm_index: NDArray[Any]) -> Bools:
    keep = np.ones(scores.shape[0], bool)
    k = scores.shape[1]
    for j in range(k):
        lows = [scores[arm_index == a, j].min() for a in range(k)]
        highs = [scores[arm_index == a, j].max() for a in range(k)]
        keep &= (scores[:, j] >= max(lows)) & (scores[:, j] <= min(highs))
    return keep


def gps_weights(scores: Floats, arm_index: NDArray[Any], target: int | None) -> Floats:
    own = scores[np.arange(scores.shape[0]), arm_index]
    return np.asarray(1 / own if target is None else scores[:, target] / own, dtype=float)


def vector_match(
    scores: Floats, arm_index: NDArray[Any], target: int, seed: int = 0
) -> dict[int, NDArray[Any]]:
    """For each arm, the row matched to each target person (their own row for the target arm)."""
    logit = np.log(scores / (1 - scores))
    rows_t = np.flatnonzero(arm_index == target)
    out: dict[int, NDArray[Any]] = {target: rows_t}
    k = scores.shape[1]
    for arm in range(k):
        if arm == target:
            continue
        others = [j for j in range(k) if j not in (arm, target)]
        if others:
            feats = logit[:, others]
            _, strata = kmeans2(feats, STRATA, seed=seed, minit="++")
        else:
            strata = np.zeros(scores.shape[0], np.int64)
        pool = np.flatnonzero(arm_index == arm)
        matched = np.empty(rows_t.size, np.int64)
        for s in np.unique(strata[rows_t]):
            ts = rows_t[strata[rows_t] == s]
            cs = pool[strata[pool] == s]
            if cs.size == 0:
                cs = pool  # an empty stratum in this arm: match across strata
            cs = cs[np.argsort(logit[cs, arm], kind="stable")]
            v = logit[cs, arm]
            pos = (
                np.clip(np.searchsorted(v, logit[ts, arm]), 1, v.size - 1)
                if v.size > 1
                else np.zeros(ts.size, int)
            )
            left = np.maximum(pos - 1, 0)
            nearer_left = np.abs(logit[ts, arm] - v[left]) <= np.abs(v[pos] - logit[ts, arm])
            matched[np.searchsorted(rows_t, ts)] = cs[np.where(nearer_left, left, pos)]
        out[arm] = matched
    return out


def _vm_effect(
    y: Floats,
    time: Floats | None,
    measure: str,
    m: dict[int, NDArray[Any]],
    a: int,
    b: int,
    arm_index: NDArray[Any],
    logit: Floats,
    level: float,
) -> Result:
    """Arm a against arm b among the target people: matched means, Abadie-Imbens variance."""
    ra, rb = m[a], m[b]
    n = ra.size
    if measure == "time_to_first" and time is not None:
        ea, eb, ta, tb = y[ra].mean(), y[rb].mean(), time[ra].mean(), time[rb].mean()
        b_hat = float(np.log((ea / ta) / (eb / tb)))
        # Linearised log rate: (events - rate * time) / mean events, per arm.
        contrib_a, contrib_b = (y[ra] - ea / ta * time[ra]) / ea, (y[rb] - eb / tb * time[rb]) / eb
        name = "rate_ratio"
        lin_all = np.where(arm_index == a, (y - ea / ta * time) / ea, (y - eb / tb * time) / eb)
    else:
        pa, pb = y[ra].mean(), y[rb].mean()
        if measure == "any":
            ga, gb = 1 / (pa * (1 - pa)), 1 / (pb * (1 - pb))
            b_hat, name = float(np.log(pa / (1 - pa)) - np.log(pb / (1 - pb))), "odds_ratio"
        elif measure == "mean":
            ga = gb = 1.0
            b_hat, name = float(pa - pb), "mean_difference"
        else:
            ga, gb = 1 / pa, 1 / pb
            b_hat, name = float(np.log(pa / pb)), "rate_ratio"
        contrib_a, contrib_b = ga * y[ra], gb * y[rb]
        lin_all = np.where(arm_index == a, ga * y, gb * y)
    d = contrib_a - contrib_b
    var = np.sum((d - d.mean()) ** 2)
    for arm, rows in ((a, ra), (b, rb)):
        used, k_j = np.unique(rows, return_counts=True)
        own = np.flatnonzero(arm_index == arm)
        # (K^2 - K) sigma^2 for people used K times; the target arm's own people count once (zero).
        sigma2 = _within_arm_sigma2(lin_all[own], logit[own, arm], own, 2)
        where = np.searchsorted(own, used)
        var += float(np.sum((k_j**2 - k_j) * sigma2[where]))
    se = float(np.sqrt(var) / n)
    return finish(name, b_hat, se, level, "vector matching; Abadie-Imbens SE", 2 * n, n).as_dict()


@dataclass(frozen=True)
class _ScoreModel:
    """What the variance needs of the generalised score: each person's score and d log w / d gamma."""

    contributions: Floats  # all people in the fit x q
    info_inv: Floats  # q x q
    dlogw: Floats  # people in support x q


def _score_model(
    gps: GeneralisedScore, arm_index: NDArray[Any], rows: NDArray[Any], target: int | None
) -> _ScoreModel:
    k = len(gps.arms)
    z = gps.design[rows]
    e = gps.scores[rows]
    a = arm_index[rows]
    own = np.zeros((rows.size, k))
    own[np.arange(rows.size), a] = 1.0
    if target is None:  # w = 1 / e_A: d log w = -(1[A = k] - e_k) z
        coef = -(own - e)[:, 1:]
    else:  # w = e_t / e_A: d log w = (1[t = k] - 1[A = k]) z
        tk = np.zeros(k)
        tk[target] = 1.0
        coef = (tk[None, :] - own)[:, 1:]
    dlogw = (coef[:, :, None] * z[:, None, :]).reshape(rows.size, -1)
    return _ScoreModel(gps.score_contributions(arm_index), np.linalg.inv(gps.info), dlogw)


def _ipw_effect(
    measure: str,
    cols: dict[str, Floats],
    pair: Bools,
    is_b: Bools,
    w: Floats,
    sm: _ScoreModel,
    rows: NDArray[Any],
    level: float,
) -> Result:
    """Arm b against arm a, weighted to the target population, with a sandwich variance that counts
    the estimation of the generalised score (stacked estimating equations, as Lunceford & Davidian):
    each person's influence is psi_theta + H I^-1 psi_gamma, H = sum psi_theta d(log w)/d gamma'."""
    t = is_b[pair]
    ww = w[pair]
    try:
        if measure == "time_to_first":
            fit = cox_fit(
                time=cols["time"][pair], event=cols["event"][pair], x=t[:, None].astype(float), weights=ww
            )
            psi = fit.score_residuals() * ww[:, None]
            bread, j, name, method = fit.cov, 0, "hazard_ratio", "weighted Cox regression (Efron ties)"
            b_hat = float(fit.params[0])
        else:
            family = {"any": "binomial", "mean": "gaussian"}.get(measure, "poisson")
            y = cols["y"][pair]
            x = np.column_stack([np.ones(t.size), t.astype(float)])
            g = glm_fit(y=y, x=x, family=family, weights=ww)
            psi = x * (ww * (y - g.mu))[:, None]
            var_mu = {"binomial": g.mu * (1 - g.mu), "poisson": g.mu}.get(family, np.ones_like(g.mu))
            bread = np.linalg.inv(x.T @ (x * (ww * var_mu)[:, None]))
            j = 1
            name = {"binomial": "odds_ratio", "gaussian": "mean_difference"}.get(family, "rate_ratio")
            method = f"weighted {family} regression"
            b_hat = float(g.params[1])
    except ESTIMATION_ERRORS as exc:
        return {"error": f"not estimated: {exc}"}
    h = psi.T @ sm.dlogw[pair]  # p_theta x q
    phi = sm.contributions @ (sm.info_inv @ h.T)  # everyone in the score's fit
    support_rows = rows[pair]
    phi[support_rows] += psi
    cov = bread @ (phi.T @ phi) @ bread
    est = finish(
        name,
        b_hat,
        float(np.sqrt(cov[j, j])),
        level,
        f"{method}, generalised propensity score weights; sandwich SE counting the score's estimation",
        int(pair.sum()),
        int(t.sum()),
    )
    return est.as_dict()


def _adjust(est: Result, pairs: int, level: float) -> Result:
    if est.get("estimate") is None or "se" not in est:
        return est
    z = z_value(1 - (1 - level) / pairs)
    ratio = est["measure"] in ("odds_ratio", "rate_ratio", "hazard_ratio")
    b = np.log(est["estimate"]) if ratio else est["estimate"]
    lo, hi = b - z * est["se"], b + z * est["se"]
    if ratio:
        lo, hi = np.exp(lo), np.exp(hi)
    return est | {
        "adjusted_ci_low": float(lo),
        "adjusted_ci_high": float(hi),
        "adjustment": f"Bonferroni for {pairs} comparisons (each interval at {1 - (1 - level) / pairs:.1%})",
    }


Tick = Callable[[str], None]


def run_head_to_head(study: Study, frame: Any, tick: Tick) -> Result:
    tick("all arms: fitting the generalised propensity score")
    arms = (study.comparison, *study.interventions)
    names = tuple(a.name for a in arms)
    arm_index = np.array([names.index(v) for v in frame["arm"].to_list()], dtype=np.int64)
    cov = study.covariates
    x = design_matrix(frame=frame, numeric=cov.numeric, categorical=cov.categorical)
    gps = fit_generalised_score(arm_index=arm_index, arms=names, covariates=x.matrix, names=x.names)
    m = study.matching
    target = names.index(m.target_arm) if m.estimand == "att" and m.target_arm else None
    if m.estimand == "att" and target is None:
        target = names.index(study.interventions[0].name)
    support = common_support(gps.scores, arm_index)
    if target is not None and m.estimand == "ate":
        target = None
    level = study.analysis.confidence
    rows = np.flatnonzero(support)
    scores, ai = gps.scores[rows], arm_index[rows]
    use_vm = m.method == "nearest"
    logit = np.log(scores / (1 - scores))
    w = gps_weights(scores, ai, target)
    sm = _score_model(gps, arm_index, rows, target)
    matched = vector_match(scores, ai, target) if use_vm and target is not None else None
    pairs = list(combinations(range(len(names)), 2))
    balance = []
    for a, b in pairs:
        pair = (ai == a) | (ai == b)
        if matched is not None:
            pw = np.zeros(rows.size)
            for arm in (a, b):
                np.add.at(pw, matched[arm], 1.0)
        else:
            pw = w
        table = balance_table(
            covariates=x.matrix[rows][pair], names=x.names, treated=(ai == b)[pair], weights=pw[pair]
        )
        for r in table:
            r["label"] = covariate_label(study, r["covariate"])
        balance.append(
            {"pair": [names[b], names[a]], "label": f"{arms[b].label} vs {arms[a].label}", "rows": table}
        )
    outcomes = []
    for o in study.outcomes:
        tick(f"all arms: {o.label}")
        cols: dict[str, Floats] = {}
        if o.measure == "time_to_first":
            cols["time"], cols["event"] = (
                column(frame, f"{o.name}_time")[rows],
                column(frame, f"{o.name}_event")[rows],
            )
            known = ~np.isnan(cols["time"])
        else:
            cols["y"] = column(frame, o.name)[rows]
            known = ~np.isnan(cols["y"])
        results = []
        for a, b in pairs:
            label = f"{arms[b].label} vs {arms[a].label}"
            if matched is not None and target is not None:
                # Matched again among people whose outcome is known (as the two-arm design does).
                m_o = matched if known.all() else vector_match(scores[known], ai[known], target)
                y = (cols["event"] if o.measure == "time_to_first" else cols["y"])[known]
                tm = cols["time"][known] if o.measure == "time_to_first" else None
                est = _vm_effect(y, tm, o.measure, m_o, b, a, ai[known], logit[known], level)
            else:
                pair = known & ((ai == a) | (ai == b))
                est = _ipw_effect(o.measure, cols, pair, ai == b, w, sm, rows, level)
            results.append(
                {"pair": [names[b], names[a]], "label": label, "estimate": _adjust(est, len(pairs), level)}
            )
        outcomes.append({"outcome": o.name, "label": o.label, "measure": o.measure, "pairs": results})
    return {
        "arms": list(names),
        "method": "vector matching" if matched is not None else "generalised propensity score weights",
        "estimand": "att" if target is not None else "ate",
        "target_arm": None if target is None else names[target],
        "propensity_converged": gps.converged,
        "propensity_coefficients": gps.params,
        "n_in_support": int(support.sum()),
        "n_outside_support": int((~support).sum()),
        "multiplicity": f"Bonferroni over {len(pairs)} pairs",
        "balance": balance,
        "outcomes": outcomes,
    }
