"""Legal-system and program costs per person, before and after the index date, and their
difference in differences (DiD) between arms.

Per person, over the cost window of W months before (pre) and after (post) the index date:

    legal = bookings * booking + jail days * jail_day + prison days * prison_day
            + charges * (prosecution + defence)
            + (felony charges * hearings_per_felony_charge
               + misdemeanour charges * hearings_per_misdemeanor_charge) * court_hearing
    program (post, intervention arms only) = min(program months, W) * program_participant_month

change = post - pre; DiD = mean change (intervention) - mean change (comparison), with the
design's weights and standard error. People without W months of follow-up are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from offramp.evaluation.estimate import Adjustment, Estimate
from offramp.evaluation.outcomes import difference_effect
from offramp.evaluation.study_costs import Costs


def _legal(costs: Costs, side: str) -> pl.Expr:
    u = costs.unit
    fel, mis = pl.col(f"{side}_charge_felony"), pl.col(f"{side}_charge_misdemeanor")
    return (
        pl.col(f"{side}_booking") * u["booking"]
        + pl.col(f"{side}_jail_stay") * u["jail_day"]
        + pl.col(f"{side}_prison") * u["prison_day"]
        + (fel + mis) * (u["prosecution"] + u["defence"])
        + (fel * costs.hearings_per_felony_charge + mis * costs.hearings_per_misdemeanor_charge)
        * u["court_hearing"]
    ).cast(pl.Float64)


def add_costs(*, frame: pl.DataFrame, costs: Costs, intervention_arms: tuple[str, ...]) -> pl.DataFrame:
    """Adds cost_pre, cost_post (legal), program_cost, cost_change and net_change (legal + program)."""
    w = costs.window_months
    if costs.program_months_column and costs.program_months_column in frame.columns:
        months = pl.col(costs.program_months_column).fill_null(0).clip(0, w)
    else:
        months = pl.lit(w)  # no column: assume everyone in the program for the whole window
    program = pl.when(pl.col("arm").is_in(list(intervention_arms))).then(months).otherwise(0)
    return frame.with_columns(
        _legal(costs, "pre").alias("cost_pre"),
        _legal(costs, "post").alias("cost_post"),
        (program * costs.unit["program_participant_month"]).cast(pl.Float64).alias("program_cost"),
    ).with_columns(
        (pl.col("cost_post") - pl.col("cost_pre")).alias("cost_change"),
        (pl.col("cost_post") + pl.col("program_cost") - pl.col("cost_pre")).alias("net_change"),
    )


def cost_did(
    *,
    pre: NDArray[Any],
    post: NDArray[Any],
    treated: NDArray[Any],
    adjustment: Adjustment,
    level: float = 0.95,
) -> dict[str, Any]:
    """Per-arm weighted means before, after and change, and the DiD with its confidence interval."""
    pre = np.asarray(pre, float)
    post = np.asarray(post, float)
    t = np.asarray(treated, bool)
    keep = ~np.isnan(post) & ~np.isnan(pre)
    w = np.ones(t.size) if adjustment.weights is None else np.asarray(adjustment.weights, float)
    keep &= w > 0
    arms: dict[str, dict[str, Any]] = {}
    for name, mask in (("intervention", keep & t), ("comparison", keep & ~t)):
        ww = w[mask]
        row: dict[str, Any] = {"n": int(mask.sum()), "mean_pre": None, "mean_post": None}
        if ww.sum() > 0:
            mean_pre = float(np.average(pre[mask], weights=ww))
            mean_post = float(np.average(post[mask], weights=ww))
            row |= {"mean_pre": mean_pre, "mean_post": mean_post, "mean_change": mean_post - mean_pre}
        arms[name] = row
    est: Estimate = difference_effect(y=post - pre, treated=t, adjustment=adjustment, level=level)
    return {"arms": arms, "did": est.as_dict()}
