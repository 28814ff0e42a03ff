"""Run one study: every estimate for every intervention arm against the comparison arm, as data.

For each intervention arm: propensity score -> design (matching or IPW) -> balance -> each outcome
(unadjusted, covariate regression, and the design's estimate) -> costs (DiD) -> subgroups. The
result is plain data (dicts of numbers); :mod:`offramp.evaluation.writing` turns it into sentences.

Windowed outcomes are analysed among people with full follow-up for that window; the design is
rebuilt within that set (same score, same caliper width), so a censored person is never in it.
Design matrices are built once per contrast and reused, by row mask, for every window and subgroup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from offramp.evaluation.balance import balance_table, effective_sample_size
from offramp.evaluation.cohort import age_group_labels
from offramp.evaluation.costs import cost_did
from offramp.evaluation.design import Design, design_matrix
from offramp.evaluation.estimate import Adjustment, Estimate
from offramp.evaluation.labels import covariate_label, level_label
from offramp.evaluation.matching import caliper_width, ipw_weights, match_nearest
from offramp.evaluation.outcomes import binary_effect, count_effect, mean_effect
from offramp.evaluation.propensity import Propensity, fit_propensity
from offramp.evaluation.study import Arm, Outcome, Study
from offramp.evaluation.survival import cox_effect, kaplan_meier, log_rank

Floats = NDArray[Any]
Bools = NDArray[Any]
Result = dict[str, Any]
ESTIMATION_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError)


def column(frame: pl.DataFrame, name: str) -> Floats:
    return frame[name].cast(pl.Float64).fill_null(float("nan")).to_numpy()


def safe(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Result:
    """The estimate as a dict, or the reason it could not be made."""
    try:
        result = fn(*args, **kwargs)
    except ESTIMATION_ERRORS as exc:
        return {"error": f"not estimated: {exc}"}
    return result.as_dict() if isinstance(result, Estimate) else dict(result)


class Contrast:
    """One intervention arm against the comparison arm: the data and the design, rebuilt per subset."""

    def __init__(self, study: Study, frame: pl.DataFrame, arm: Arm):
        self.study, self.arm = study, arm
        pair = [arm.name, study.comparison.name]
        # Two arms (the usual case): no filtered copy of the whole frame.
        self.frame = frame if frame["arm"].is_in(pair).all() else frame.filter(pl.col("arm").is_in(pair))
        self.ids = self.frame["person_id"].to_numpy()
        self.treated: Bools = (self.frame["arm"] == arm.name).to_numpy()
        cov = study.covariates
        self.x: Design = design_matrix(
            frame=self.frame, numeric=cov.numeric, categorical=cov.categorical, leading=2
        )
        # The outcome regressions' model matrix, built once: treatment, intercept, covariates.
        self.model = self.x.full if self.x.full is not None else np.empty((self.treated.size, 2))
        self.model[:, 0] = self.treated
        self.model[:, 1] = 1.0
        oc = study.analysis.outcome_covariates
        self.x_outcome = design_matrix(
            frame=self.frame,
            numeric=[c for c in cov.numeric if c in oc],
            categorical=[c for c in cov.categorical if c in oc],
        ).matrix
        self.ps: Propensity = fit_propensity(
            treated=self.treated,
            covariates=self.x.matrix,
            names=self.x.names,
            with_constant=self.model[:, 1:],
        )
        m = study.matching
        self.width = (
            caliper_width(treated=self.treated, logit=self.ps.logit, caliper_sd=m.caliper_sd)
            if m.method == "nearest"
            else None
        )
        self.level = study.analysis.confidence

    def adjustment(self, mask: Bools) -> Adjustment:
        m = self.study.matching
        t = self.treated[mask]
        if m.method == "ipw":
            w = ipw_weights(treated=t, score=self.ps.score[mask], estimand=m.estimand, stabilize=m.stabilize)
            return Adjustment(name="ipw", weights=w)
        matches = match_nearest(
            ids=self.ids[mask],
            treated=t,
            logit=self.ps.logit[mask],
            ratio=m.ratio,
            caliper_sd=m.caliper_sd,
            replace=m.replacement,
            width=self.width,
        )
        if m.replacement:
            return Adjustment(
                name="matching_with_replacement",
                weights=matches.weights,
                matches=matches,
                logit=self.ps.logit[mask],
                ids=self.ids[mask],
                neighbours=m.variance_neighbours,
            )
        return Adjustment(name="matching", weights=matches.weights, clusters=matches.set_id, matches=matches)

    def design_summary(self, adj: Adjustment) -> Result:
        t = self.treated
        m = self.study.matching
        out: Result = {
            "method": m.method,
            "n_intervention": int(t.sum()),
            "n_comparison": int((~t).sum()),
            "propensity_converged": self.ps.converged,
            "propensity_coefficients": self.ps.params,
            "score_range_intervention": [float(self.ps.score[t].min()), float(self.ps.score[t].max())],
            "score_range_comparison": [float(self.ps.score[~t].min()), float(self.ps.score[~t].max())],
        }
        if adj.matches is not None:
            mt = adj.matches
            out |= {
                "ratio": mt.ratio,
                "replacement": mt.replace,
                "caliper_logit": mt.caliper,
                "caliper_sd": m.caliper_sd,
                "matched_intervention": int(mt.matched_treated.size),
                "matched_comparison": int(np.count_nonzero(np.bincount(mt.control_index))),
                "dropped_by_caliper": int(mt.unmatched_treated.size),
                "dropped_ids": self.ids[mt.unmatched_treated].tolist(),
            }
        elif adj.weights is not None:
            w = adj.weights
            out |= {
                "estimand": m.estimand,
                "stabilized": m.stabilize,
                "effective_n_comparison": effective_sample_size(w[~t]),
                "max_weight_comparison": float(w[~t].max()),
            }
        return out


def _outcome_head(o: Outcome) -> Result:
    return {"outcome": o.name, "label": o.label, "measure": o.measure, "event": o.event, "months": o.months}


def windowed(c: Contrast, o: Outcome) -> Result:
    y = column(c.frame, o.name)
    mask = ~np.isnan(y)
    t = c.treated[mask]
    adj = c.adjustment(mask)
    fn = {"any": binary_effect, "mean": mean_effect}.get(o.measure, count_effect)
    oc = c.x_outcome[mask] if c.x_outcome.shape[1] else None
    level = c.level
    return _outcome_head(o) | {
        "n_known": int(mask.sum()),
        "n_censored": int((~mask).sum()),
        "unadjusted": safe(fn, y=y[mask], treated=t, adjustment=Adjustment(name="unadjusted"), level=level),
        # Censored people have no outcome (NaN): the model gives them weight 0, so the model
        # matrix built once is used whole rather than copied for each window.
        "regression": safe(
            fn,
            y=y,
            treated=c.treated,
            adjustment=Adjustment(name="regression"),
            covariates=c.x.matrix,
            model=c.model,
            level=level,
        ),
        "design": safe(fn, y=y[mask], treated=t, adjustment=adj, covariates=oc, level=level),
    }


def time_to_event(c: Contrast, o: Outcome) -> Result:
    time = column(c.frame, f"{o.name}_time")
    event = column(c.frame, f"{o.name}_event")
    mask = ~np.isnan(time)
    t, tm, ev = c.treated[mask], time[mask], event[mask]
    adj = c.adjustment(mask)
    w = adj.weights
    level = c.level
    curves = {}
    for name, arm_mask in ((c.arm.name, t), (c.study.comparison.name, ~t)):
        curves[name] = kaplan_meier(
            time=tm[arm_mask], event=ev[arm_mask], weights=None if w is None else w[arm_mask], level=level
        )
    out = _outcome_head(o) | {
        "n_known": int(mask.sum()),
        "events": int(ev.sum()),
        "kaplan_meier": curves,
        "log_rank_unadjusted": safe(log_rank, time=tm, event=ev, group=t.astype(np.int64)),
        "unadjusted": safe(
            cox_effect, time=tm, event=ev, treated=t, adjustment=Adjustment(name="unadjusted"), level=level
        ),
        "regression": safe(
            cox_effect,
            time=tm,
            event=ev,
            treated=t,
            adjustment=Adjustment(name="regression"),
            covariates=c.x.matrix if mask.all() else c.x.matrix[mask],
            names=[covariate_label(c.study, n) for n in c.x.names],
            level=level,
        ),
    }
    if adj.name == "matching_with_replacement":
        # Controls reused across matched sets: Abadie-Imbens for the events per day at risk.
        out["design"] = safe(count_effect, y=ev, treated=t, adjustment=adj, exposure=tm, level=level)
    else:
        if adj.name == "matching" and c.study.matching.ratio == 1 and w is not None:
            keep = w > 0
            out["log_rank_matched"] = safe(
                log_rank, time=tm[keep], event=ev[keep], group=t[keep].astype(np.int64)
            )
        out["design"] = safe(cox_effect, time=tm, event=ev, treated=t, adjustment=adj, level=level)
    return out


def costs(c: Contrast) -> Result:
    post = column(c.frame, "cost_post")
    mask = ~np.isnan(post)
    adj = c.adjustment(mask)
    pre = column(c.frame, "cost_pre")[mask]
    program = column(c.frame, "program_cost")[mask]
    t = c.treated[mask]
    level = c.level
    k = c.study.costs
    return {
        "window_months": k.window_months,
        "currency": k.currency,
        "price_year": k.price_year,
        "unit_costs": k.unit,
        "n_known": int(mask.sum()),
        "legal": safe(cost_did, pre=pre, post=post[mask], treated=t, adjustment=adj, level=level),
        "net_of_program": safe(
            cost_did, pre=pre, post=post[mask] + program, treated=t, adjustment=adj, level=level
        ),
        "mean_program_cost_intervention": float(program[t].mean()) if t.any() else None,
    }


def subgroups(c: Contrast) -> list[Result]:
    s = c.study
    o = s.outcome(s.analysis.primary_outcome)
    y = column(c.frame, o.name)
    known = ~np.isnan(y)
    out = []
    for var in s.analysis.subgroups:
        values = c.frame[var].cast(pl.String).fill_null("(missing)")
        levels = age_group_labels(s.analysis.age_groups) if var == "age_group" else sorted(values.unique())
        for level in levels:
            mask = known & (values == level).to_numpy()
            n_t, n_c = int((mask & c.treated).sum()), int((mask & ~c.treated).sum())
            row: Result = {
                "variable": var,
                "level": level,
                "label": f"{covariate_label(s, var)}: {level_label(s, var, level)}",
                "n_intervention": n_t,
                "n_comparison": n_c,
                "outcome": o.name,
            }
            least = s.analysis.min_subgroup_treated
            if n_t < least or n_c < least:
                row["estimate"] = {"error": f"not estimated: fewer than {least} people in an arm"}
            elif np.nanstd(y[mask]) == 0:
                row["estimate"] = {"error": "not estimated: everyone had the same outcome"}
            else:
                # Matching is redone inside the subgroup: exact on the subgroup, nearest on the score.
                row["estimate"] = safe(
                    binary_effect,
                    y=y[mask],
                    treated=c.treated[mask],
                    adjustment=c.adjustment(mask),
                    level=c.level,
                )
            out.append(row)
    return out


Tick = Callable[[str], None]


def run_contrast(study: Study, frame: pl.DataFrame, arm: Arm, tick: Tick) -> Result:
    """Everything about one intervention arm against the comparison arm, as numbers."""
    tick(f"{arm.label}: fitting the propensity score and building the design")
    c = Contrast(study, frame, arm)
    adj = c.adjustment(np.ones(c.treated.size, bool))
    balance = balance_table(covariates=c.x.matrix, names=c.x.names, treated=c.treated, weights=adj.weights)
    for row in balance:
        row["label"] = covariate_label(study, row["covariate"])
    results = []
    for o in study.outcomes:
        tick(f"{arm.label}: {o.label}")
        results.append(time_to_event(c, o) if o.measure == "time_to_first" else windowed(c, o))
    tick(f"{arm.label}: costs")
    cost = costs(c)
    tick(f"{arm.label}: subgroups")
    return {
        "intervention": arm.name,
        "comparison": study.comparison.name,
        "design": c.design_summary(adj),
        "balance": balance,
        "outcomes": results,
        "costs": cost,
        "subgroups": subgroups(c),
    }
