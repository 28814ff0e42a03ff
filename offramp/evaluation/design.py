"""Numeric design matrices from an analysis frame (shared by the score and outcome models)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray


@dataclass(frozen=True)
class Design:
    matrix: NDArray[Any]
    names: list[str]
    full: NDArray[Any] | None = None  # with the ``leading`` columns in front; ``matrix`` is its view


def design_matrix(
    *,
    frame: pl.DataFrame,
    numeric: tuple[str, ...] | list[str],
    categorical: tuple[str, ...] | list[str],
    leading: int = 0,
) -> Design:
    """Numeric columns as they are; each categorical as 0/1 columns, one per level but the first.

    Levels are sorted so the reference level (and so every coefficient) does not depend on row
    order. Columns that do not vary (a level nobody has, a constant) are dropped: they carry no
    information and would make the model singular. No intercept is added; with ``leading``, that
    many columns are left in front for the caller to fill (a treatment, an intercept), so models
    with them share the covariates' memory instead of copying them.
    """
    # Filled in place, one column at a time: at a million rows each intermediate copy of the matrix
    # (a list of columns, then a stacked one, then one without the constant columns) costs 150 MB+.
    columns: list[tuple[str, pl.Series]] = [(c, frame[c].cast(pl.Float64)) for c in numeric]
    for c in categorical:
        values = frame[c].cast(pl.String).fill_null("(missing)")
        levels = sorted(values.unique().to_list())
        columns += [(f"{c}={level}", values == level) for level in levels[1:]]
    keep = [(name, col) for name, col in columns if frame.height == 0 or _varies(col.cast(pl.Float64))]
    full = np.empty((frame.height, leading + len(keep)))
    for j, (_, col) in enumerate(keep):
        full[:, leading + j] = col.cast(pl.Float64).to_numpy()
    names = [name for name, _ in keep]
    return Design(matrix=full[:, leading:], names=names, full=full if leading else None)


def _varies(col: pl.Series) -> bool:
    # As numpy's ptp > 0: a column with a missing value (NaN) is dropped too.
    if col.null_count() or col.is_nan().any():
        return False
    low, high = col.min(), col.max()
    return isinstance(low, float | int) and isinstance(high, float | int) and high > low


def with_intercept(x: NDArray[Any]) -> NDArray[Any]:
    return np.column_stack([np.ones(x.shape[0]), x])
