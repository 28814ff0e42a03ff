"""Nearest-neighbour matching on the logit of the propensity score, and inverse-probability weights.

Matching (estimand: the average effect on the treated, ATT):

* distance: ``|logit(e_t) - logit(e_c)|``.
* caliper: a match is allowed only within ``caliper_sd * SD`` where SD is the pooled standard
  deviation of the logit, ``sqrt((var_treated + var_control) / 2)`` (Austin 2011). Treated people
  with no control inside the caliper are dropped, and listed.
* order: treated people are processed from the highest score to the lowest (they have the fewest
  comparable controls), ties in score by ascending id. 1:k without replacement goes in k rounds:
  every treated person gets a first match before anyone gets a second (as MatchIt does).
* tie rule: among controls at exactly the same distance (same float), the lowest id wins. The
  result therefore depends only on (id, arm, score), never on row order.
* with replacement: every treated person gets their k nearest controls; a control may be used
  many times. Without: a control is used at most once, so greedy order matters (see above).

Weights: a matched treated person weighs 1; a control weighs the sum over the treated people it
was matched to of ``1 / (number of matches that treated person got)``; others weigh 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

ERR_IDS = "ids must be unique"
ERR_LENGTHS = "ids, treated and logit must have the same length"


@dataclass(frozen=True)
class Matches:
    treated_index: NDArray[Any]  # row index of the treated person in each pair
    control_index: NDArray[Any]  # row index of the matched control in each pair
    distance: NDArray[Any]
    caliper: float | None  # width on the logit scale, or None
    unmatched_treated: NDArray[Any]  # row indices of treated people dropped by the caliper
    weights: NDArray[Any]  # per input row, as in the module docstring
    sq_weights: NDArray[Any]  # per control row: sum of 1 / m_i**2 (needed by the Abadie-Imbens variance)
    set_id: NDArray[Any]  # per row: row index of the treated person heading the matched set, -1 if none
    replace: bool
    ratio: int

    @property
    def matched_treated(self) -> NDArray[Any]:
        """Rows of the treated people with at least one match, ascending."""
        return np.flatnonzero(np.bincount(self.treated_index, minlength=self.weights.size) > 0)


def caliper_width(*, treated: NDArray[Any], logit: NDArray[Any], caliper_sd: float | None) -> float | None:
    if caliper_sd is None:
        return None
    t = np.asarray(treated, bool)
    pooled = np.sqrt((np.var(logit[t], ddof=1) + np.var(logit[~t], ddof=1)) / 2)
    return float(caliper_sd * pooled)


class _Controls:
    """Controls grouped by identical logit value; within a group, ids ascend."""

    def __init__(self, rows: NDArray[Any], ids: NDArray[Any], logit: NDArray[Any]):
        order = np.lexsort((ids, logit))
        self.rows = rows[order]
        self.ids = ids[order]
        sorted_logit = logit[order]
        first = np.r_[True, sorted_logit[1:] != sorted_logit[:-1]] if order.size else np.zeros(0, bool)
        self.start = np.flatnonzero(first)
        self.values = sorted_logit[self.start]
        self.count = np.diff(np.r_[self.start, order.size])
        self.used = np.zeros(self.values.size, dtype=np.int64)  # consumed members per group (no replacement)
        n = self.values.size
        # Union-find "skip exhausted groups" pointers, one looking left and one right.
        self._left = np.arange(n)
        self._right = np.arange(n)

    def _find(self, parent: NDArray[Any], g: int, limit: int) -> int:
        root = g
        while 0 <= root < limit and parent[root] != root:
            root = parent[root]
        while 0 <= g < limit and parent[g] != g:  # path compression
            parent[g], g = root, parent[g]
        return root

    def nearest_available(self, x: float) -> tuple[int, float] | None:
        """Group holding the nearest unused control (ties: lowest id), and its distance."""
        n = self.values.size
        pos = int(np.searchsorted(self.values, x))
        left = self._find(self._left, pos - 1, n) if pos > 0 else -1
        right = self._find(self._right, pos, n) if pos < n else n
        has_l, has_r = left >= 0, right < n
        if not has_l and not has_r:
            return None
        dl = x - self.values[left] if has_l else np.inf
        dr = self.values[right] - x if has_r else np.inf
        if dl < dr:
            return left, dl
        if dr < dl:
            return right, dr
        return (left, dl) if self.next_id(left) < self.next_id(right) else (right, dr)

    def next_id(self, g: int) -> int:
        return int(self.ids[self.start[g] + self.used[g]])

    def take(self, g: int) -> int:
        pos = self.start[g] + self.used[g]
        self.used[g] += 1
        if self.used[g] == self.count[g]:
            self._left[g] = g - 1
            self._right[g] = g + 1
        return int(self.rows[pos])

    def k_nearest_all(
        self, x: NDArray[Any], k: int, width: float
    ) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
        """:meth:`k_nearest` for every value of ``x`` at once: (which x, control row, distance),
        ordered by x and then by nearness, exactly as calling it for each x in turn."""
        n = self.values.size
        m = x.size
        pos = np.searchsorted(self.values, x)
        left, right = pos - 1, pos.copy()
        off_l = np.zeros(m, np.int64)
        off_r = np.zeros(m, np.int64)
        active = np.ones(m, bool)
        rows = np.full((m, k), -1, np.int64)
        dist = np.zeros((m, k))
        for r in range(k):
            has_l, has_r = left >= 0, right < n
            active &= has_l | has_r
            lc, rc = np.clip(left, 0, n - 1), np.clip(right, 0, n - 1)
            dl = np.where(has_l, x - self.values[lc], np.inf)
            dr = np.where(has_r, self.values[rc] - x, np.inf)
            active &= np.minimum(dl, dr) <= width
            id_l = self.ids[np.clip(self.start[lc] + off_l, 0, self.ids.size - 1)]
            id_r = self.ids[np.clip(self.start[rc] + off_r, 0, self.ids.size - 1)]
            take_left = (dl < dr) | ((dl == dr) & (id_l < id_r))
            at = np.where(take_left, self.start[lc] + off_l, self.start[rc] + off_r)
            rows[:, r] = np.where(active, self.rows[np.clip(at, 0, self.rows.size - 1)], -1)
            dist[:, r] = np.where(take_left, dl, dr)
            # advance the side taken
            off_l = np.where(take_left, off_l + 1, off_l)
            off_r = np.where(~take_left, off_r + 1, off_r)
            done_l = take_left & (off_l == self.count[lc])
            done_r = ~take_left & (off_r == self.count[rc])
            left, off_l = np.where(done_l, left - 1, left), np.where(done_l, 0, off_l)
            right, off_r = np.where(done_r, right + 1, right), np.where(done_r, 0, off_r)
        valid = rows >= 0
        which = np.repeat(np.arange(m), k).reshape(m, k)
        return which[valid], rows[valid], dist[valid]


def match_nearest(
    *,
    ids: NDArray[Any],
    treated: NDArray[Any],
    logit: NDArray[Any],
    ratio: int = 1,
    caliper_sd: float | None = 0.2,
    replace: bool = False,
    width: float | None = None,
) -> Matches:
    """1:k nearest-neighbour matching on the logit of the score; see the module docstring for rules.

    ``width`` (on the logit scale) overrides ``caliper_sd``: used to keep one caliper, computed on
    the whole sample, when matching again within subsets (an outcome's window, a subgroup).
    """
    ids = np.asarray(ids)
    treated = np.asarray(treated, bool)
    logit = np.asarray(logit, float)
    if not (ids.size == treated.size == logit.size):
        raise ValueError(ERR_LENGTHS)
    sorted_ids = np.sort(ids)
    if sorted_ids.size and (sorted_ids[1:] == sorted_ids[:-1]).any():
        raise ValueError(ERR_IDS)
    if width is None:
        width = caliper_width(treated=treated, logit=logit, caliper_sd=caliper_sd)
    limit = np.inf if width is None else width
    t_rows = np.flatnonzero(treated)
    c_rows = np.flatnonzero(~treated)
    controls = _Controls(c_rows, ids[c_rows], logit[c_rows])
    t_rows = t_rows[np.lexsort((ids[t_rows], -logit[t_rows]))]

    pairs_t: list[int] = []
    pairs_c: list[int] = []
    dist: list[float] = []
    if replace:
        which, rows, d = controls.k_nearest_all(logit[t_rows], ratio, limit)
        pairs_t, pairs_c, dist = t_rows[which].tolist(), rows.tolist(), d.tolist()
    else:
        active = list(t_rows)
        for _ in range(ratio):
            still = []
            for t in active:
                found = controls.nearest_available(logit[t])
                if found is None or found[1] > limit:
                    continue  # no match this round; stops getting more
                pairs_t.append(int(t))
                pairs_c.append(controls.take(found[0]))
                dist.append(float(found[1]))
                still.append(t)
            active = still

    pt = np.asarray(pairs_t, dtype=np.int64)
    pc = np.asarray(pairs_c, dtype=np.int64)
    n = ids.size
    m_i = np.bincount(pt, minlength=n).astype(float)  # matches per treated row
    weights = np.zeros(n)
    weights[t_rows] = (m_i[t_rows] > 0).astype(float)
    share = 1.0 / m_i[pt] if pt.size else np.zeros(0)
    np.add.at(weights, pc, share)
    sq = np.zeros(n)
    np.add.at(sq, pc, share**2)
    set_id = np.full(n, -1, dtype=np.int64)
    set_id[pt] = pt
    if not replace:
        set_id[pc] = pt
    return Matches(
        treated_index=pt,
        control_index=pc,
        distance=np.asarray(dist),
        caliper=width,
        unmatched_treated=np.sort(t_rows[m_i[t_rows] == 0]),
        weights=weights,
        sq_weights=sq,
        set_id=set_id,
        replace=replace,
        ratio=ratio,
    )


def ipw_weights(
    *, treated: NDArray[Any], score: NDArray[Any], estimand: str = "att", stabilize: bool = False
) -> NDArray[Any]:
    """Inverse-probability weights.

    ATT ("odds" weights, as in the Seattle LEAD evaluation): treated 1, comparison e/(1-e), so the
    comparison group is re-weighted to look like the treated. ATE: treated 1/e, comparison 1/(1-e).
    Stabilised: ATE weights times P(arm); ATT comparison weights times (1-p)/p, p the treated share,
    so the comparison weights sum to about the comparison group's size.
    """
    t = np.asarray(treated, bool)
    e = np.asarray(score, float)
    if t.size == 0:  # nobody to weigh (an empty subgroup): no weights, and no mean of nothing
        return np.zeros(0)
    p = t.mean()
    if estimand == "att":
        w = np.where(t, 1.0, e / (1 - e))
        if stabilize:
            w = np.where(t, 1.0, w * (1 - p) / p)
    elif estimand == "ate":
        w = np.where(t, 1 / e, 1 / (1 - e))
        if stabilize:
            w = np.where(t, w * p, w * (1 - p))
    else:
        raise ValueError(f"estimand must be 'att' or 'ate', got {estimand!r}")
    return w
