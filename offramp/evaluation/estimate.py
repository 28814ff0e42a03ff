"""An effect estimate with its interval, and the adjustment (design) every model runs under."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from offramp.evaluation.matching import Matches

RATIO = {"odds_ratio", "rate_ratio", "hazard_ratio"}


@dataclass(frozen=True)
class Estimate:
    measure: str  # odds_ratio, rate_ratio, hazard_ratio, risk_difference, mean_difference
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    se: float  # on the model scale: log for ratios
    method: str
    n: int
    n_treated: int
    level: float = 0.95
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Adjustment:
    """How the comparison is made fair: which weights, clusters or matches go into every model."""

    name: str  # unadjusted | regression | ipw | matching | matching_with_replacement
    weights: NDArray[Any] | None = None
    clusters: NDArray[Any] | None = None
    matches: Matches | None = None
    logit: NDArray[Any] | None = None
    ids: NDArray[Any] | None = None  # stable ids, for deterministic neighbour ties
    neighbours: int = 2  # J, for the Abadie-Imbens conditional variance

    def require_matches(self) -> Matches:
        if self.matches is None:
            raise ValueError(f"the {self.name} adjustment has no matches")
        return self.matches

    def require_logit(self) -> NDArray[Any]:
        if self.logit is None:
            raise ValueError(f"the {self.name} adjustment has no score")
        return self.logit


def z_value(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def finish(
    measure: str, b: float, se: float, level: float, method: str, n: int, n_treated: int, **extra: Any
) -> Estimate:
    """The estimate on its reading scale (ratios exponentiated) with a ``level`` Wald interval."""
    z = z_value(level)
    p = float(2 * stats.norm.sf(abs(b / se))) if se > 0 and np.isfinite(se) else float("nan")
    lo, hi = b - z * se, b + z * se
    if measure in RATIO:
        b, lo, hi = float(np.exp(b)), float(np.exp(lo)), float(np.exp(hi))
    return Estimate(
        measure=measure,
        estimate=float(b),
        ci_low=float(lo),
        ci_high=float(hi),
        p_value=p,
        se=float(se),
        method=method,
        n=int(n),
        n_treated=int(n_treated),
        level=level,
        extra=extra,
    )
