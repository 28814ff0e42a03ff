"""Numeric design matrices from an analysis frame (shared by the score and outcome models)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass(frozen=True)
class Design:
    matrix: np.ndarray
    names: list[str]


def design_matrix(
    *, frame: pl.DataFrame, numeric: tuple[str, ...] | list[str], categorical: tuple[str, ...] | list[str]
) -> Design:
    """Numeric columns as they are; each categorical as 0/1 columns, one per level but the first.

    Levels are sorted so the reference level (and so every coefficient) does not depend on row
    order. Columns that do not vary (a level nobody has, a constant) are dropped: they carry no
    information and would make the model singular. No intercept is added.
    """
    cols, names = [], []
    for c in numeric:
        cols.append(frame[c].cast(pl.Float64).to_numpy())
        names.append(c)
    for c in categorical:
        values = frame[c].cast(pl.String).fill_null("(missing)")
        levels = sorted(values.unique().to_list())
        arr = values.to_numpy()
        for level in levels[1:]:
            cols.append((arr == level).astype(float))
            names.append(f"{c}={level}")
    if not cols:
        return Design(matrix=np.empty((frame.height, 0)), names=[])
    matrix = np.column_stack(cols)
    keep = np.ptp(matrix, axis=0) > 0 if matrix.shape[0] else np.ones(matrix.shape[1], bool)
    return Design(matrix=matrix[:, keep], names=[n for n, k in zip(names, keep, strict=True) if k])


def with_intercept(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(x.shape[0]), x])
