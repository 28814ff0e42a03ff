"""Cox proportional-hazards regression with case weights, computed as R's ``survival::coxph`` does.

Efron (default) or Breslow ties. Every quantity is built from sums over risk sets, one per distinct
time, so day-tied data with millions of rows cost one weighted ``X'WX`` per Newton step:

* log partial likelihood, score and information (Efron: the ``d`` tied deaths of a time enter the
  ``k``-th term with weight ``1 - k/d``, and case weights through their mean among the deaths, as in
  ``coxph``);
* score residuals of Efron's form, so the sandwich (``robust = TRUE`` or ``cluster(id)`` in R),
  ``D'D`` with ``D = w * U * V``, matches R for every covariate; the residuals sum to the score,
  which is zero at the estimate;
* Schoenfeld residuals and the Grambsch-Therneau test of proportional hazards as ``cox.zph`` (survival
  3.x) computes it: a score test, per covariate and global, for adding ``x * g(t)`` with
  ``g = 1 - KM(t-)`` (``transform = "km"``);
* likelihood-ratio, Wald and score (log-rank) tests of the whole model, and Harrell's concordance
  (R's ``concordance``: pairs with tied times are not comparable, tied risks count a half).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import linalg, stats

from offramp.evaluation.concordance import concordance_index as concordance_index  # still importable here
from offramp.evaluation.glm import CHUNK, cluster_sums, xtwx, xtwx_signed

Floats = NDArray[Any]
Ints = NDArray[Any]

ERR_NO_EVENTS = "no events: a Cox model needs at least one"
ERR_SHAPES = "time, event, covariates and weights must have one row per person"


@dataclass(frozen=True)
class _Sorted:
    """The data sorted by time, with each row's distinct-time group."""

    x: Floats
    event: NDArray[Any]
    w: Floats
    n: Floats  # people per row (1 unless identical people were collapsed into one row)
    w2: Floats  # sum of the squared case weights of the row's people (for the sandwich)
    group: Ints  # distinct-time index of each row, ascending
    times: Floats  # the distinct times
    order: Ints  # original row of each sorted row
    # The Efron expansion: one entry per death, k = 0 .. d-1 of its time.
    k_group: Ints
    k_frac: Floats  # k / d (0 for Breslow)
    d: Floats  # deaths per distinct time (a count, not weighted)
    wd: Floats  # weight of the deaths per distinct time
    xd: Floats  # weighted sum of x over the deaths per distinct time


def _prepare(
    time: Floats, event: Floats, x: Floats, w: Floats, n: Floats, w2: Floats, ties: str, consume_x: bool
) -> _Sorted:
    in_order = consume_x and bool(np.all(time[1:] >= time[:-1]))
    order = np.arange(time.size) if in_order else np.argsort(time, kind="stable")
    t = time[order]
    new = np.r_[True, t[1:] != t[:-1]] if t.size else np.zeros(0, bool)
    times, group = t[new], np.cumsum(new) - 1
    ev = event[order] > 0
    ws, ns = w[order], n[order]
    xs = x if in_order else x[order]
    # Centring x changes neither the estimate nor the likelihood, and keeps exp() in range.
    xs -= (ws @ xs) / ws.sum()
    n_groups = times.size
    d = np.bincount(group[ev], weights=ns[ev], minlength=n_groups)
    wd = np.bincount(group[ev], weights=ws[ev], minlength=n_groups)
    xd = _weighted_segment_sums(xs, ws, group, n_groups, rows=ev)
    counts = np.rint(d).astype(np.int64)
    k_group = np.repeat(np.arange(n_groups), counts)
    if ties == "efron":
        starts = np.cumsum(counts) - counts
        k = np.arange(k_group.size) - np.repeat(starts, counts)
        k_frac = k / d[k_group]
    else:
        k_frac = np.zeros(k_group.size)
    groups = group.astype(np.int64)
    return _Sorted(xs, ev, ws, ns, w2[order], groups, times, order, k_group, k_frac, d, wd, xd)


def _segment_sums(values: Floats, groups: Ints, n_groups: int) -> Floats:
    """Row sums of ``values`` per group, ``groups`` ascending (rows of a group are contiguous)."""
    out = np.zeros((n_groups, values.shape[1]))
    if groups.size:
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        out[groups[starts]] = np.add.reduceat(values, starts, axis=0)
    return out


def _weighted_segment_sums(
    x: Floats, r: Floats, groups: Ints, n_groups: int, rows: NDArray[Any] | None = None
) -> Floats:
    """Per group sums of r * x over the ``rows`` (a mask; all rows without it), a block of rows at
    a time (groups ascending)."""
    out = np.zeros((n_groups, x.shape[1]))
    for i in range(0, x.shape[0], CHUNK):
        g, xb, rb = groups[i : i + CHUNK], x[i : i + CHUNK], r[i : i + CHUNK]
        if rows is not None:
            keep = rows[i : i + CHUNK]
            g, xb, rb = g[keep], xb[keep], rb[keep]
        if g.size:
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            out[g[starts]] += np.add.reduceat(xb * rb[:, None], starts, axis=0)
    return out


def _reverse_cumsum(a: Floats) -> Floats:
    return np.flip(np.cumsum(np.flip(a, axis=0), axis=0), axis=0)


@dataclass(frozen=True)
class _Sums:
    """Risk-set sums at one beta, per distinct time: everything the likelihood, its derivatives and
    the residuals need. The Efron terms of a time differ only in scalars (k/d), so each sum over
    them is a few per-time scalars times the risk-set sums S1 and the deaths' sums S1D."""

    loglik: float
    score: Floats
    info: Floats
    risk: Floats  # exp(eta) per sorted row (without the case weight)
    s1: Floats  # per time: weighted sum of r x over the risk set
    s1d: Floats  # per time: the same over its deaths
    q: dict[str, Floats]  # per time: sums over its Efron terms (see _efron_scalars)


def _efron_scalars(s: _Sorted, s0: Floats, s0d: Floats) -> tuple[dict[str, Floats], float]:
    g, f = s.k_group, s.k_frac
    n_groups = s.times.size
    den = s0[g] - f * s0d[g]
    wbar = s.wd[g] / s.d[g]

    def per_time(values: Floats) -> Floats:
        return np.bincount(g, weights=values, minlength=n_groups)

    q = {
        "h": per_time(wbar / den),  # hazard increments
        "hf": per_time(wbar * f / den),
        "h2": per_time(wbar / den**2),
        "hf2": per_time(wbar * f / den**2),
        "hff2": per_time(wbar * f**2 / den**2),
        "m": per_time(1 / den),  # for the mean of the Efron means
        "mf": per_time(f / den),
    }
    return q, float(np.sum(wbar * np.log(den)))


def _outer_sum(s1: Floats, s1d: Floats, q: dict[str, Floats], weight: Floats | None = None) -> Floats:
    """sum over times and Efron terms of weight * wbar * a a', a = (S1 - f S1D) / den."""
    om = np.ones(s1.shape[0]) if weight is None else weight
    cross = (s1 * (om * q["hf2"])[:, None]).T @ s1d
    return (s1 * (om * q["h2"])[:, None]).T @ s1 - cross - cross.T + (s1d * (om * q["hff2"])[:, None]).T @ s1d


def _sums(s: _Sorted, beta: Floats, *, with_info: bool = True) -> _Sums:
    eta = s.x @ beta
    shift = float(eta.max()) if eta.size else 0.0
    risk = np.exp(eta - shift)
    r = s.w * risk
    n_groups = s.times.size
    p = s.x.shape[1]
    s0 = _reverse_cumsum(np.bincount(s.group, weights=r, minlength=n_groups))
    s1 = _reverse_cumsum(_weighted_segment_sums(s.x, r, s.group, n_groups))
    ev = s.event
    s0d = np.bincount(s.group[ev], weights=r[ev], minlength=n_groups)
    s1d = _weighted_segment_sums(s.x, r, s.group, n_groups, rows=ev)
    q, log_den = _efron_scalars(s, s0, s0d)
    # Shifting eta by a constant divides every risk by exp(shift): add it back in the log terms.
    loglik = float(np.sum(s.w[ev] * eta[ev]) - log_den - shift * np.sum(s.wd))
    score = s.xd.sum(axis=0) - (s1 * q["h"][:, None]).sum(axis=0) + (s1d * q["hf"][:, None]).sum(axis=0)
    info = np.zeros((p, p))
    if with_info and s.k_group.size:
        # sum over times of c1 * S2(risk set) = sum over rows of r x x' * (c1 summed up to the row's time)
        v = r * np.cumsum(q["h"])[s.group]
        v[ev] -= r[ev] * q["hf"][s.group[ev]]
        info = xtwx(s.x, v) - _outer_sum(s1, s1d, q)
    return _Sums(loglik, score, info, risk, s1, s1d, q)


@dataclass(frozen=True)
class CoxFit:
    params: Floats
    cov: Floats  # inverse of the information: the model-based variance
    loglik: float
    loglik_null: float
    score_test: float  # score (log-rank) test of beta = 0
    iterations: int
    converged: bool
    n: int
    n_events: int
    ties: str
    _data: _Sorted
    _sums: _Sums

    @property
    def se(self) -> Floats:
        return np.asarray(np.sqrt(np.diag(self.cov)), dtype=float)

    def likelihood_ratio(self) -> dict[str, float]:
        chi2 = 2 * (self.loglik - self.loglik_null)
        df = self.params.size
        return {"chi_square": float(chi2), "df": df, "p_value": float(stats.chi2.sf(chi2, df))}

    def wald(self) -> dict[str, float]:
        chi2 = float(self.params @ linalg.solve(self.cov, self.params, assume_a="pos"))
        df = self.params.size
        return {"chi_square": chi2, "df": df, "p_value": float(stats.chi2.sf(chi2, df))}

    def score(self) -> dict[str, float]:
        df = self.params.size
        return {"chi_square": self.score_test, "df": df, "p_value": float(stats.chi2.sf(self.score_test, df))}

    def _mean_of_means(self) -> Floats:
        """Per time: the mean over its Efron terms of the risk-set mean of x (Schoenfeld's x-bar)."""
        s, m = self._data, self._sums
        total = m.s1 * m.q["m"][:, None] - m.s1d * m.q["mf"][:, None]
        return total / np.maximum(s.d, 1)[:, None]  # type: ignore[no-any-return]

    def score_residuals(self) -> Floats:
        """Per person (original order), unweighted: R's ``residuals(fit, "score")``."""
        out = np.empty((self.n, self.params.size))
        out[self._data.order] = self._sorted_score_residuals()
        return out

    def _residual_terms(self) -> dict[str, Floats]:
        """Per-time pieces of the score residuals (shared by every block of rows)."""
        m = self._sums
        q = m.q
        hza = m.s1 * q["h2"][:, None] - m.s1d * q["hf2"][:, None]  # sum of hazard * a per time
        return {
            "a": np.cumsum(hza, axis=0),
            "h": np.cumsum(q["h"]),
            "hf": q["hf"],
            # A death is at risk with weight 1 - k/d in the k-th Efron term: give back the k/d share.
            "b": m.s1 * q["hf2"][:, None] - m.s1d * q["hff2"][:, None],
            "abar": self._mean_of_means(),
        }

    def _score_residual_rows(self, lo: int, hi: int, terms: dict[str, Floats]) -> Floats:
        """The score residuals of the sorted rows lo..hi-1 (a block at a time: at a million rows
        the whole n x p matrix and its temporaries are several hundred megabytes)."""
        s, risk = self._data, self._sums.risk[lo:hi]
        g, x = s.group[lo:hi], s.x[lo:hi]
        u = terms["a"][g] - x * terms["h"][g][:, None]  # - (x H(t) - A(t)) * risk
        u *= risk[:, None]
        ev = s.event[lo:hi]
        ge, xe = g[ev], x[ev]
        u[ev] += xe - terms["abar"][ge] + risk[ev, None] * (xe * terms["hf"][ge, None] - terms["b"][ge])
        # The shift in _sums divides every risk by the same constant and multiplies the hazards by
        # it, so risk * hazard (all the residual uses) is unchanged.
        return np.asarray(u, dtype=float)

    def _sorted_score_residuals(self) -> Floats:
        """The score residuals in time order."""
        terms = self._residual_terms()
        n = self._data.x.shape[0]
        return np.vstack(
            [self._score_residual_rows(i, min(i + CHUNK, n), terms) for i in range(0, n, CHUNK)]
            or [np.zeros((0, self.params.size))]
        )

    def robust_cov(self, clusters: NDArray[Any] | None = None) -> Floats:
        """Sandwich variance: R's ``coxph(..., robust = TRUE)``, or ``+ cluster(id)`` with clusters
        (given in the original row order)."""
        w = self._data.w
        if clusters is None:
            # D'D with D = w U V, without the n x p matrix D: V (U' diag(w^2) U) V, a block of
            # rows at a time. People collapsed into one row share their residual, so their squared
            # weights add up.
            terms = self._residual_terms()
            n, p = self._data.x.shape
            meat = np.zeros((p, p))
            for i in range(0, n, CHUNK):
                u = self._score_residual_rows(i, min(i + CHUNK, n), terms)
                meat += xtwx(u, self._data.w2[i : i + CHUNK])
        else:
            if np.any(self._data.n != 1):
                raise ValueError("clustered variance needs one row per person")
            u = self._sorted_score_residuals()
            u *= w[:, None]
            summed = cluster_sums(u, np.asarray(clusters)[self._data.order])
            meat = summed.T @ summed
        return np.asarray(self.cov @ meat @ self.cov, dtype=float)

    def schoenfeld(self) -> tuple[Floats, Floats, Floats]:
        """(event times, residuals, death weights), one row per death, sorted by time (R's order)."""
        s = self._data
        ev = s.event
        return s.times[s.group[ev]], s.x[ev] - self._mean_of_means()[s.group[ev]], s.w[ev]

    def zph(self) -> dict[str, Any]:
        """Grambsch-Therneau test of proportional hazards, as R's ``cox.zph(fit)`` (transform "km")."""
        s, m = self._data, self._sums
        n_groups = s.times.size
        p = s.x.shape[1]
        ev = s.event
        # g(t) = 1 - KM(t-), from the fitted data (left-continuous, as cox.zph), centred over deaths.
        at_risk = _reverse_cumsum(np.bincount(s.group, weights=s.w, minlength=n_groups))
        surv = np.cumprod(1 - s.wd / at_risk)
        before = np.concatenate([[1.0], surv[:-1]])
        gt = 1 - before
        gt = gt - np.average(gt[s.group[ev]], weights=s.n[ev])
        # The score for x * g(t): the deaths' Schoenfeld residuals weighted by w * g(t), summed as
        # x'v - sum over times of x-bar(t) * (their v), without a copy of the deaths' rows.
        v = np.where(ev, s.w * gt[s.group], 0.0)
        per_time = np.bincount(s.group, weights=v, minlength=n_groups)
        u = np.concatenate([np.zeros(p), s.x.T @ v - self._mean_of_means().T @ per_time])
        r = s.w * m.risk
        q = m.q

        def weighted_info(weight: Floats) -> Floats:
            # sum over times of weight(t) * information contribution at t
            v = r * np.cumsum(weight * q["h"])[s.group]
            v[ev] -= r[ev] * (weight * q["hf"])[s.group[ev]]
            return xtwx_signed(s.x, v) - _outer_sum(m.s1, m.s1d, q, weight)  # weight = g(t) can be < 0

        i12 = weighted_info(gt)
        i22 = weighted_info(gt**2)
        imat = np.block([[self._sums.info, i12], [i12.T, i22]])
        rows = []
        for j in range(p):
            jj = np.r_[np.arange(p), p + j]
            chi2 = float(u[jj] @ linalg.solve(imat[np.ix_(jj, jj)], u[jj]))
            rows.append({"chi_square": chi2, "df": 1, "p_value": float(stats.chi2.sf(chi2, 1))})
        chi2 = float(u @ linalg.solve(imat, u))
        return {
            "terms": rows,
            "global": {"chi_square": chi2, "df": p, "p_value": float(stats.chi2.sf(chi2, p))},
            "transform": "km",
        }

    def concordance(self) -> float:
        """Harrell's C of the linear predictor (weighted pairs, as R's ``concordance``)."""
        s = self._data
        return concordance_index(
            time=s.times[s.group], event=s.event, risk=s.x @ self.params, weights=s.w, sorted_groups=s.group
        )


def cox_fit(
    *,
    time: Floats,
    event: Floats,
    x: Floats,
    weights: Floats | None = None,
    ties: str = "efron",
    max_iter: int = 50,
    counts: Floats | None = None,
    weight_squares: Floats | None = None,
    consume_x: bool = False,
) -> CoxFit:
    """Maximum partial likelihood by Newton-Raphson with step halving (as ``coxph``), from beta = 0.

    ``counts`` (people per row) and ``weight_squares`` (the sum of their squared weights) let
    identical people (same time, event and covariates) come as one row whose weight is the sum of
    theirs: see :func:`collapse`. Every result is the same as with one row per person.
    ``consume_x``: ``x`` is the caller's own copy and may be centred in place; given in time order,
    it is then used without the sorted copy (at a million rows and 20 columns, 160 MB).
    """
    time = np.asarray(time, float)
    event = np.asarray(event, float)
    x = np.asarray(x, float)
    if x.ndim == 1:
        x = x[:, None]
    n = np.ones(time.size) if counts is None else np.asarray(counts, float)
    w = n.copy() if weights is None else np.asarray(weights, float)
    w2 = w**2 if weight_squares is None else np.asarray(weight_squares, float)
    if not (time.size == event.size == x.shape[0] == w.size == n.size == w2.size):
        raise ValueError(ERR_SHAPES)
    if not np.any(event[w > 0] > 0):
        raise ValueError(ERR_NO_EVENTS)
    keep = w > 0
    if not keep.all():
        time, event, x, w, n, w2 = time[keep], event[keep], x[keep], w[keep], n[keep], w2[keep]
    s = _prepare(time, event, x, w, n, w2, ties, consume_x)
    beta = np.zeros(x.shape[1])
    cur = _sums(s, beta)
    null_ll = cur.loglik
    chol0 = linalg.cho_factor(cur.info)
    score_test = float(cur.score @ linalg.cho_solve(chol0, cur.score))
    converged = False
    iterations = 0
    for it in range(1, max_iter + 1):
        iterations = it
        step = linalg.cho_solve(linalg.cho_factor(cur.info), cur.score)
        new = _sums(s, beta + step)
        halvings = 0
        while not new.loglik >= cur.loglik - 1e-12 * abs(cur.loglik) and halvings < 30:
            step = step / 2
            new = _sums(s, beta + step)
            halvings += 1
        beta = beta + step
        done = np.max(np.abs(step)) < 1e-8 or abs(new.loglik - cur.loglik) <= 1e-13 * abs(cur.loglik)
        cur = new
        if done:
            converged = True
            break
    cov = linalg.cho_solve(linalg.cho_factor(cur.info), np.eye(beta.size))
    return CoxFit(
        params=beta,
        cov=cov,
        loglik=cur.loglik,
        loglik_null=null_ll,
        score_test=score_test,
        iterations=iterations,
        converged=converged,
        n=int(round(n.sum())),
        n_events=int(round(n[event > 0].sum())),
        ties=ties,
        _data=s,
        _sums=cur,
    )


@dataclass(frozen=True)
class Collapsed:
    """One row per distinct (time, event, group): the arguments of :func:`cox_fit` for them."""

    time: Floats
    event: Floats
    group: Floats
    weights: Floats
    counts: Floats
    weight_squares: Floats


def collapse(*, time: Floats, event: Floats, group: NDArray[Any], weights: Floats | None) -> Collapsed:
    """Identical people of a model with one 0/1 covariate, as one row each: day-tied data at a
    million people have a few thousand distinct (day, event, group) rows."""
    times, t_index = np.unique(np.asarray(time, float), return_inverse=True)
    key = (t_index * 2 + (np.asarray(event) > 0)) * 2 + np.asarray(group, bool)
    w = np.ones(key.size) if weights is None else np.asarray(weights, float)
    size = 4 * times.size
    counts = np.bincount(key, minlength=size)
    cells = np.flatnonzero(counts)
    return Collapsed(
        time=times[cells // 4],
        event=((cells // 2) % 2).astype(float),
        group=(cells % 2).astype(float),
        weights=np.bincount(key, weights=w, minlength=size)[cells],
        counts=counts[cells].astype(float),
        weight_squares=np.bincount(key, weights=w**2, minlength=size)[cells],
    )
