"""Run a whole study and assemble every estimate into a JSON-ready dict with plain-language sentences.

For each intervention arm against the comparison arm:
  propensity score -> design (matching or IPW) -> balance -> each outcome (unadjusted, covariate
  regression, and the design's estimate) -> costs (DiD) -> subgroups (primary outcome).

Windowed outcomes are analysed among people with full follow-up for that window; the design is
rebuilt within that set (same score, same caliper width), so a censored person is never in it.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Callable

import numpy as np
import polars as pl
from statsmodels.tools.sm_exceptions import PerfectSeparationError
from threadpoolctl import threadpool_limits

from offramp.evaluation import svg
from offramp.evaluation.balance import BALANCE_THRESHOLD, balance_table, effective_sample_size
from offramp.evaluation.cohort import age_group_labels, build_analysis_frame
from offramp.evaluation.costs import add_costs, cost_did
from offramp.evaluation.design import design_matrix
from offramp.evaluation.matching import caliper_width, ipw_weights, match_nearest
from offramp.evaluation.outcomes import (
    Adjustment,
    Estimate,
    binary_effect,
    count_effect,
    cox_effect,
    kaplan_meier,
    log_rank,
)
from offramp.evaluation.propensity import fit_propensity
from offramp.evaluation.study import Arm, Outcome, Study

Progress = Callable[[int, int, str], None]
EVENT_NOUN = {
    "arrest": "re-arrest",
    "booking": "a new jail booking",
    "charge_felony": "a felony charge",
    "charge_misdemeanor": "a misdemeanour charge",
    "jail_stay": "a jail stay",
    "prison": "a prison sentence",
}
ESTIMATION_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError, PerfectSeparationError)


def _column(frame: pl.DataFrame, name: str) -> np.ndarray:
    return frame[name].cast(pl.Float64).fill_null(float("nan")).to_numpy()


class _Contrast:
    """One intervention arm against the comparison arm: the data and the design, rebuilt per subset."""

    def __init__(self, study: Study, frame: pl.DataFrame, arm: Arm):
        self.study, self.arm = study, arm
        pair = [arm.name, study.comparison.name]
        # Two arms (the usual case): no filtered copy of the whole frame.
        self.frame = frame if frame["arm"].is_in(pair).all() else frame.filter(pl.col("arm").is_in(pair))
        self.ids = self.frame["person_id"].to_numpy()
        self.treated = (self.frame["arm"] == arm.name).to_numpy()
        cov = study.covariates
        self.x = design_matrix(frame=self.frame, numeric=cov.numeric, categorical=cov.categorical)
        oc = study.analysis.outcome_covariates
        self.x_outcome = design_matrix(
            frame=self.frame,
            numeric=[c for c in cov.numeric if c in oc],
            categorical=[c for c in cov.categorical if c in oc],
        ).matrix
        self.ps = fit_propensity(treated=self.treated, covariates=self.x.matrix, names=self.x.names)
        gc.collect()  # the score model's statsmodels objects, before matching allocates its own
        m = study.matching
        self.width = (
            caliper_width(treated=self.treated, logit=self.ps.logit, caliper_sd=m.caliper_sd)
            if m.method == "nearest"
            else None
        )

    def adjustment(self, mask: np.ndarray) -> Adjustment:
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

    def design_summary(self, adj: Adjustment) -> dict:
        t = self.treated
        out = {
            "method": self.study.matching.method,
            "n_intervention": int(t.sum()),
            "n_comparison": int((~t).sum()),
            "propensity_converged": self.ps.converged,
            "propensity_coefficients": self.ps.params,
            "score_range_intervention": [float(self.ps.score[t].min()), float(self.ps.score[t].max())],
            "score_range_comparison": [float(self.ps.score[~t].min()), float(self.ps.score[~t].max())],
        }
        if adj.matches is not None:
            m = adj.matches
            out |= {
                "ratio": m.ratio,
                "replacement": m.replace,
                "caliper_logit": m.caliper,
                "caliper_sd": self.study.matching.caliper_sd,
                "matched_intervention": int(np.unique(m.treated_index).size),
                "matched_comparison": int(np.unique(m.control_index).size),
                "dropped_by_caliper": int(m.unmatched_treated.size),
                "dropped_ids": self.ids[m.unmatched_treated].tolist(),
            }
        else:
            w = adj.weights
            out |= {
                "estimand": self.study.matching.estimand,
                "stabilized": self.study.matching.stabilize,
                "effective_n_comparison": effective_sample_size(w[~t]),
                "max_weight_comparison": float(w[~t].max()),
            }
        return out


def _safe(fn, *args, **kwargs) -> dict:
    try:
        result = fn(*args, **kwargs)
    except ESTIMATION_ERRORS as exc:
        return {"error": f"not estimated: {exc}"}
    finally:
        gc.collect()  # the fit's statsmodels objects (see tick in _run), before the next fit adds its own
    return result.as_dict() if isinstance(result, Estimate) else result


def _windowed(c: _Contrast, o: Outcome) -> dict:
    y = _column(c.frame, o.name)
    mask = ~np.isnan(y)
    t = c.treated[mask]
    adj = c.adjustment(mask)
    fn = binary_effect if o.measure == "any" else count_effect
    oc = c.x_outcome[mask] if c.x_outcome.shape[1] else None
    return {
        "outcome": o.name,
        "label": o.label,
        "measure": o.measure,
        "event": o.event,
        "months": o.months,
        "n_known": int(mask.sum()),
        "n_censored": int((~mask).sum()),
        "unadjusted": _safe(fn, y=y[mask], treated=t, adjustment=Adjustment(name="unadjusted")),
        "regression": _safe(
            fn, y=y[mask], treated=t, adjustment=Adjustment(name="regression"), covariates=c.x.matrix[mask]
        ),
        "design": _safe(fn, y=y[mask], treated=t, adjustment=adj, covariates=oc),
    }


def _time_to_event(c: _Contrast, o: Outcome) -> dict:
    time = _column(c.frame, f"{o.name}_time")
    event = _column(c.frame, f"{o.name}_event")
    mask = ~np.isnan(time)
    t, tm, ev = c.treated[mask], time[mask], event[mask]
    adj = c.adjustment(mask)
    w = adj.weights
    curves = {}
    for label, arm_mask in ((c.arm.label, t), (c.study.comparison.label, ~t)):
        curves[label] = kaplan_meier(
            time=tm[arm_mask], event=ev[arm_mask], weights=None if w is None else w[arm_mask]
        )
    out = {
        "outcome": o.name,
        "label": o.label,
        "measure": o.measure,
        "event": o.event,
        "months": o.months,
        "n_known": int(mask.sum()),
        "events": int(ev.sum()),
        "kaplan_meier": curves,
        "log_rank_unadjusted": _safe(log_rank, time=tm, event=ev, group=t.astype(int)),
        "unadjusted": _safe(
            cox_effect, time=tm, event=ev, treated=t, adjustment=Adjustment(name="unadjusted")
        ),
        "regression": _safe(
            cox_effect,
            time=tm,
            event=ev,
            treated=t,
            adjustment=Adjustment(name="regression"),
            covariates=c.x.matrix[mask],
        ),
    }
    if adj.name == "matching":
        keep = w > 0
        if c.study.matching.ratio == 1:
            out["log_rank_matched"] = _safe(
                log_rank, time=tm[keep], event=ev[keep], group=t[keep].astype(int)
            )
        sub = Adjustment(name="matching", clusters=adj.clusters[keep])
        out["design"] = _safe(cox_effect, time=tm[keep], event=ev[keep], treated=t[keep], adjustment=sub)
    else:
        # No case weights in PHReg: a constant-hazard (exponential) rate ratio, events per day at risk.
        out["design"] = _safe(count_effect, y=ev, treated=t, adjustment=adj, exposure=tm)
    return out


def _costs(c: _Contrast) -> dict:
    post = _column(c.frame, "cost_post")
    mask = ~np.isnan(post)
    adj = c.adjustment(mask)
    pre = _column(c.frame, "cost_pre")[mask]
    program = _column(c.frame, "program_cost")[mask]
    t = c.treated[mask]
    level = c.study.analysis.confidence
    return {
        "window_months": c.study.costs.window_months,
        "currency": c.study.costs.currency,
        "price_year": c.study.costs.price_year,
        "unit_costs": c.study.costs.unit,
        "n_known": int(mask.sum()),
        "legal": _safe(cost_did, pre=pre, post=post[mask], treated=t, adjustment=adj, level=level),
        "net_of_program": _safe(
            cost_did, pre=pre, post=post[mask] + program, treated=t, adjustment=adj, level=level
        ),
        "mean_program_cost_intervention": float(program[t].mean()) if t.any() else None,
    }


def _subgroups(c: _Contrast) -> list[dict]:
    s = c.study
    o = s.outcome(s.analysis.primary_outcome)
    y = _column(c.frame, o.name)
    known = ~np.isnan(y)
    out = []
    for var in s.analysis.subgroups:
        values = c.frame[var].cast(pl.String).fill_null("(missing)").to_numpy()
        levels = age_group_labels(s.analysis.age_groups) if var == "age_group" else sorted(set(values))
        for level in levels:
            mask = known & (values == level)
            n_t, n_c = int((mask & c.treated).sum()), int((mask & ~c.treated).sum())
            row = {
                "variable": var,
                "level": level,
                "n_intervention": n_t,
                "n_comparison": n_c,
                "outcome": o.name,
            }
            if n_t < s.analysis.min_subgroup_treated or n_c < s.analysis.min_subgroup_treated:
                row["estimate"] = {
                    "error": f"not estimated: fewer than {s.analysis.min_subgroup_treated} people in an arm"
                }
            elif np.nanstd(y[mask]) == 0:
                row["estimate"] = {"error": "not estimated: everyone had the same outcome"}
            else:
                # Matching is redone inside the subgroup: exact on the subgroup, nearest on the score.
                row["estimate"] = _safe(
                    binary_effect,
                    y=y[mask],
                    treated=c.treated[mask],
                    adjustment=c.adjustment(mask),
                    level=s.analysis.confidence,
                )
            out.append(row)
    return out


def _pct(ratio: float) -> int:
    return round(abs(1 - ratio) * 100)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _ci_text(est: dict, name: str, level: float) -> str:
    text = (
        f"{name} {est['estimate']:.2f}, {level:.0%} confidence interval "
        f"{est['ci_low']:.2f} to {est['ci_high']:.2f}"
    )
    if est["ci_low"] <= 1 <= est["ci_high"]:
        text += "; the data are also consistent with no difference"
    return text


def sentences_for(*, arm: Arm, comparison: Arm, result: dict, level: float) -> list[str]:
    """Plain-language sentences for one outcome's design estimate."""
    est = result.get("design", {})
    if "estimate" not in est or est.get("estimate") is None or not math.isfinite(est["estimate"]):
        return [f"{_cap(result['label'])}: {est.get('error', 'not estimated')}."]
    r = est["estimate"]
    more = "lower" if r < 1 else "higher"
    out = []
    if result["measure"] == "any":
        out.append(
            f"{_cap(arm.describe)} had {_pct(r)}% {more} odds of {result['label']} than "
            f"{comparison.describe} ({_ci_text(est, 'odds ratio', level)})."
        )
        p1, p0 = est["extra"].get("mean_treated"), est["extra"].get("mean_comparison")
        if p1 is not None and p0 is not None and result.get("design_is_att", True):
            out.append(
                f"In numbers: about {round(p1 * 100)} out of 100 {arm.describe} had {result['label']}, "
                f"compared with about {round(p0 * 100)} out of 100 {comparison.describe}."
            )
    elif result["measure"] in ("count", "days"):
        fewer = "fewer" if r < 1 else "more"
        out.append(
            f"{_cap(arm.describe)} had {_pct(r)}% {fewer} {result['label']} than {comparison.describe} "
            f"({_ci_text(est, 'rate ratio', level)})."
        )
        m1, m0 = est["extra"].get("mean_treated"), est["extra"].get("mean_comparison")
        if m1 is not None and m0 is not None:
            out.append(f"On average {m1:.1f} versus {m0:.1f} per person.")
    else:
        noun = EVENT_NOUN.get(result["event"], result["label"])
        name = "hazard ratio" if est["measure"] == "hazard_ratio" else "rate ratio (constant hazard)"
        out.append(
            f"{_cap(arm.describe)} had a {_pct(r)}% {more} day-to-day risk of {noun} than "
            f"{comparison.describe} ({_ci_text(est, name, level)})."
        )
    return out


def _cost_sentences(arm: Arm, comparison: Arm, costs: dict, level: float) -> list[str]:
    legal = costs.get("legal", {})
    if "did" not in legal or legal["did"].get("estimate") is None:
        return []
    cur = "$" if costs["currency"] == "USD" else costs["currency"] + " "

    def money(v: float) -> str:
        return f"{cur}{abs(v):,.0f}"

    def change(v: float) -> str:
        return f"went {'down' if v < 0 else 'up'} by {money(v)}"

    a, c, d = legal["arms"]["intervention"], legal["arms"]["comparison"], legal["did"]
    out = [
        f"Over {costs['window_months']} months, legal-system costs per person {change(a['mean_change'])} for "
        f"{arm.describe} and {change(c['mean_change'])} for {comparison.describe}: a difference of "
        f"{'-' if d['estimate'] < 0 else '+'}{money(d['estimate'])} per person ({level:.0%} confidence "
        f"interval {money(d['ci_low']) if d['ci_low'] >= 0 else '-' + money(d['ci_low'])} to "
        f"{money(d['ci_high']) if d['ci_high'] >= 0 else '-' + money(d['ci_high'])})."
    ]
    net = costs.get("net_of_program", {}).get("did", {})
    if net.get("estimate") is not None and costs.get("mean_program_cost_intervention"):
        out.append(
            f"Counting the program's own cost (about {money(costs['mean_program_cost_intervention'])} "
            f"per participant), the net difference is {'-' if net['estimate'] < 0 else '+'}"
            f"{money(net['estimate'])} per person."
        )
    return out


def _warnings(c: _Contrast, balance: list[dict], design: dict, results: list[dict]) -> list[str]:
    out = []
    if not c.ps.converged:
        out.append(
            "The propensity model did not converge; check for covariates that predict the arm perfectly."
        )
    if design.get("dropped_by_caliper"):
        out.append(
            f"{design['dropped_by_caliper']} people in {c.arm.label} had no comparison person within the "
            "caliper and were left out; the estimate is about those who could be matched."
        )
    bad = [r["covariate"] for r in balance if not r["balanced"]]
    if bad:
        out.append(f"Balance is not reached (|SMD| >= {BALANCE_THRESHOLD}) for: {', '.join(bad)}.")
    for r in results:
        ph = r.get("regression", {}).get("extra", {}).get("proportional_hazards", {})
        if ph.get("violated"):
            out.append(
                f"{_cap(r['label'])}: the hazards may not be proportional; read the hazard ratio as an "
                "average over follow-up and look at the Kaplan-Meier curves."
            )
    return out


def _json_safe(v):
    if isinstance(v, dict):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_safe(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_json_safe(x) for x in v.tolist()]
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def run_study(
    study: Study,
    people_df: pl.DataFrame,
    events_df: pl.DataFrame,
    *,
    progress: Progress | None = None,
    data_end: dt.date | None = None,
    include_figures: bool = True,
) -> dict:
    """Run every analysis in ``study``; returns a JSON-serialisable dict.

    ``progress(done, total, message)`` is called before each step and once at the end.
    """
    # The matrices are tall and thin (people x ~20 columns): multi-threaded BLAS only adds
    # synchronisation cost (10-30x slower on a 2-core machine), so use one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(
            study, people_df, events_df, progress=progress, data_end=data_end, include_figures=include_figures
        )


def _run(
    study: Study,
    people_df: pl.DataFrame,
    events_df: pl.DataFrame,
    *,
    progress: Progress | None,
    data_end: dt.date | None,
    include_figures: bool,
) -> dict:
    per_arm = 4 + len(study.outcomes)
    total = 1 + per_arm * len(study.interventions)
    done = 0

    def tick(message: str) -> None:
        nonlocal done
        # statsmodels models and results refer to each other, so each fit's copies of the design
        # matrix (several per outcome) wait for the cycle collector; at a million people they add
        # up to gigabytes across the outcomes. Collect them between steps.
        gc.collect()
        if progress is not None:
            progress(done, total, message)
        done += 1

    tick("building the analysis frame")
    frame = build_analysis_frame(study=study, people=people_df, events=events_df, data_end=data_end)
    frame = add_costs(
        frame=frame, costs=study.costs, intervention_arms=tuple(a.name for a in study.interventions)
    )
    level = study.analysis.confidence
    comp = study.comparison
    contrasts = []
    for arm in study.interventions:
        tick(f"{arm.label}: fitting the propensity score and building the design")
        c = _Contrast(study, frame, arm)
        adj = c.adjustment(np.ones(c.treated.size, bool))
        design = c.design_summary(adj)
        balance = balance_table(
            covariates=c.x.matrix, names=c.x.names, treated=c.treated, weights=adj.weights
        )
        results = []
        for o in study.outcomes:
            tick(f"{arm.label}: {o.label}")
            results.append(_time_to_event(c, o) if o.measure == "time_to_first" else _windowed(c, o))
        tick(f"{arm.label}: costs")
        costs = _costs(c)
        tick(f"{arm.label}: subgroups")
        subgroups = _subgroups(c)
        sentences = []
        for r in results:
            sentences += sentences_for(arm=arm, comparison=comp, result=r, level=level)
        sentences += _cost_sentences(arm, comp, costs, level)
        entry = {
            "intervention": arm.name,
            "comparison": comp.name,
            "design": design,
            "balance": balance,
            "outcomes": results,
            "costs": costs,
            "subgroups": subgroups,
            "summary": sentences,
            "warnings": _warnings(c, balance, design, results),
        }
        tick(f"{arm.label}: charts")
        if include_figures:
            entry["figures"] = _figures(arm, comp, balance, results, subgroups)
        contrasts.append(entry)
    if progress is not None:
        progress(total, total, "done")
    arms = frame.group_by("arm").len().sort("arm")
    return _json_safe(
        {
            "study": {
                "name": study.name,
                "description": study.description,
                "index_rule": study.index.description,
                "arms": [{"name": a.name, "label": a.label, "role": a.role} for a in study.arms],
            },
            "data": {
                "people": frame.height,
                "people_by_arm": dict(zip(arms["arm"].to_list(), arms["len"].to_list(), strict=True)),
                "events": events_df.height,
                "data_end": frame["followup_end"].max(),
                "incomplete_lookback": int((~frame["full_lookback"]).sum()),
            },
            "contrasts": contrasts,
        }
    )


def _figures(arm: Arm, comp: Arm, balance: list[dict], results: list[dict], subgroups: list[dict]) -> dict:
    figs = {"love_plot": svg.love_plot(rows=balance, title=f"Covariate balance: {arm.label} vs {comp.label}")}
    for r in results:
        if r["measure"] == "time_to_first":
            figs[f"km_{r['outcome']}"] = svg.km_plot(
                curves=r["kaplan_meier"], title=f"Share without {EVENT_NOUN.get(r['event'], r['label'])}"
            )
    rows = [{"label": r["label"], **_ci(r["design"])} for r in results]
    rows += [{"label": f"{s['variable']}: {s['level']}", **_ci(s["estimate"])} for s in subgroups]
    figs["forest_plot"] = svg.forest_plot(rows=rows, title=f"Estimated effects: {arm.label} vs {comp.label}")
    return figs


def _ci(est: dict) -> dict:
    if "estimate" not in est or est["measure"] not in ("odds_ratio", "rate_ratio", "hazard_ratio"):
        return {"estimate": None, "ci_low": None, "ci_high": None}
    return {"estimate": est["estimate"], "ci_low": est["ci_low"], "ci_high": est["ci_high"]}
