"""Harrell's concordance index (C) with case weights, as R's ``survival::concordance`` computes it."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[Any]
Ints = NDArray[Any]


def _pairs_across_halves(group: Ints, ev: NDArray[Any], rank: Ints, w: Floats, level: int) -> Floats:
    """(concordant, tied, discordant) weight of the pairs whose times fall in the two halves of one
    block of ``2 ** (level + 1)`` distinct times: the shorter time a death in the earlier half, the
    other person in the later half. ``rank`` is ascending (the rows come in risk order)."""
    # In (block, risk) order: a stable sort of the block numbers keeps the risk order within each
    # (``group`` is 16-bit when it fits, and numpy's stable sort of 16-bit integers is a radix sort).
    o = np.argsort(group >> (level + 1), kind="stable")
    b = group[o] >> (level + 1)
    lat = ((group[o] >> level) & 1).astype(bool)
    r = rank[o]
    cw = np.concatenate([[0.0], np.cumsum(np.where(lat, w[o], 0.0))])  # cw[k]: weight before k
    n = b.size
    new_block = np.r_[True, b[1:] != b[:-1]]
    new_run = new_block | np.r_[True, r[1:] != r[:-1]]  # a run: one block, one risk
    del r

    def starts_and_ends(new: NDArray[Any]) -> tuple[Ints, Ints]:
        first = np.flatnonzero(new).astype(np.int32 if n < 1 << 31 else np.int64)
        which = np.cumsum(new, dtype=first.dtype) - 1
        return first[which], np.r_[first[1:], n].astype(first.dtype)[which]

    block_start, block_end = starts_and_ends(new_block)
    run_start, run_end = starts_and_ends(new_run)
    q = ev[o] & ~lat
    base = cw[block_start[q]]
    below = cw[run_start[q]] - base
    upto = cw[run_end[q]] - base
    total = cw[block_end[q]] - base
    wd = w[o][q]
    return np.array([np.sum(wd * below), np.sum(wd * (upto - below)), np.sum(wd * (total - upto))])


def concordance_index(
    *,
    time: Floats,
    event: NDArray[Any] | Floats,
    risk: Floats,
    weights: Floats | None = None,
    sorted_groups: Ints | None = None,
) -> float:
    """C = (concordant + tied risk / 2) / comparable pairs, a pair being comparable when the shorter
    time is an event and the times differ; concordant when the shorter time has the higher risk."""
    time = np.asarray(time, float)
    ev = np.asarray(event) > 0
    w = np.ones(time.size) if weights is None else np.asarray(weights, float)
    group = np.unique(time, return_inverse=True)[1] if sorted_groups is None else sorted_groups
    rank = np.unique(risk, return_inverse=True)[1].astype(np.int32 if time.size < 1 << 31 else np.int64)
    # Every comparable pair has its two times in the two halves of exactly one block of distinct
    # times (blocks of 2, 4, 8, ... times): counted there, all blocks of one size at once; pairs with
    # the same time never are. About a dozen vectorised passes for a few thousand distinct days.
    o = np.argsort(rank, kind="stable")
    group = np.asarray(group)[o]
    levels = int(group.max()).bit_length() if group.size else 0
    group = group.astype(np.int16 if levels < 15 else np.int64)
    ev, rank, w = ev[o], rank[o], w[o]
    counts = np.zeros(3)
    for k in range(levels):
        counts += _pairs_across_halves(group, ev, rank, w, k)
    conc, tied, disc = (float(v) for v in counts)
    pairs = conc + disc + tied
    return (conc + tied / 2) / pairs if pairs > 0 else float("nan")
