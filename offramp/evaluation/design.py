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
    # Filled in place, one column at a time: at a million rows each intermediate copy of the matrix
    # (a list of columns, then a stacked one, then one without the constant columns) costs 150 MB+.
    columns: list[tuple[str, pl.Series]] = [(c, frame[c].cast(pl.Float64)) for c in numeric]
    for c in categorical:
        values = frame[c].cast(pl.String).fill_null("(missing)")
        levels = sorted(values.unique().to_list())
        columns += [(f"{c}={level}", values == level) for level in levels[1:]]
    keep = [(name, col) for name, col in columns if frame.height == 0 or _varies(col.cast(pl.Float64))]
    matrix = np.empty((frame.height, len(keep)))
    for j, (_, col) in enumerate(keep):
        matrix[:, j] = col.cast(pl.Float64).to_numpy()
    return Design(matrix=matrix, names=[name for name, _ in keep])


def _varies(col: pl.Series) -> bool:
    # As numpy's ptp > 0: a column with a missing value (NaN) is dropped too.
    if col.null_count() or col.is_nan().any():
        return False
    return col.max() > col.min()


def with_intercept(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(x.shape[0]), x])
