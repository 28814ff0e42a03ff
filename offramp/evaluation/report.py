"""A whole study, run and written: the entry point :func:`run_study`.

Builds the analysis frame once, runs each contrast (:mod:`run`), the head-to-head comparison of
every arm when there are two or more interventions (:mod:`multiarm`), writes the sentences
(:mod:`writing`) and draws the charts (:mod:`svg`). Returns one JSON-ready dict.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from offramp.evaluation import svg
from offramp.evaluation.cohort import COST_KINDS, build_analysis_frame
from offramp.evaluation.costs import add_costs
from offramp.evaluation.multiarm import run_head_to_head
from offramp.evaluation.run import Result, run_contrast
from offramp.evaluation.study import Arm, Study
from offramp.evaluation.writing import EVENT_NOUN, write_contrast

Progress = Callable[[int, int, str], None]


def _json_safe(v: Any) -> Any:
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
) -> Result:
    """Run every analysis in ``study``; returns a JSON-serialisable dict.

    ``progress(done, total, message)`` is called before each step and once at the end.
    """
    # The matrices are tall and thin (people x ~20 columns): multi-threaded BLAS only adds
    # synchronisation cost on a small machine, so use one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(study, people_df, events_df, progress, data_end, include_figures)


def _run(
    study: Study,
    people_df: pl.DataFrame,
    events_df: pl.DataFrame,
    progress: Progress | None,
    data_end: dt.date | None,
    include_figures: bool,
) -> Result:
    head_to_head = len(study.interventions) >= 2
    per_arm = 4 + len(study.outcomes)
    total = 1 + per_arm * len(study.interventions) + (1 + len(study.outcomes) if head_to_head else 0)
    done = 0

    def tick(message: str) -> None:
        nonlocal done
        if progress is not None:
            progress(done, total, message)
        done += 1

    tick("building the analysis frame")
    frame = build_analysis_frame(study=study, people=people_df, events=events_df, data_end=data_end)
    frame = add_costs(
        frame=frame, costs=study.costs, intervention_arms=tuple(a.name for a in study.interventions)
    )
    # The per-kind cost components are summed into cost_pre and cost_post: at a million people
    # they are 80 MB that nothing reads again.
    frame = frame.drop([f"{when}_{kind}" for when in ("pre", "post") for kind in COST_KINDS])
    comp = study.comparison
    contrasts = []
    for arm in study.interventions:
        entry = write_contrast(arm, comp, run_contrast(study, frame, arm, tick))
        tick(f"{arm.label}: charts")
        if include_figures:
            entry["figures"] = _figures(study, arm, comp, entry)
        contrasts.append(entry)
    out: Result = {
        "study": {
            "name": study.name,
            "description": study.description,
            "index_rule": study.index.description,
            "arms": [{"name": a.name, "label": a.label, "role": a.role} for a in study.arms],
            "confidence": study.analysis.confidence,
        },
        "data": _data_summary(frame, events_df, people_df),
        "contrasts": contrasts,
    }
    if head_to_head:
        out["head_to_head"] = run_head_to_head(study, frame, tick)
        if include_figures:
            out["head_to_head"]["figures"] = _pair_figures(out["head_to_head"])
    if progress is not None:
        progress(total, total, "done")
    return _json_safe(out)  # type: ignore[no-any-return]


def _data_summary(frame: pl.DataFrame, events: pl.DataFrame, people: pl.DataFrame) -> Result:
    arms = frame.group_by("arm").len().sort("arm")
    index = frame["index_date"]
    return {
        "people": frame.height,
        "people_without_index_date": people.height - frame.height,
        "people_by_arm": dict(zip(arms["arm"].to_list(), arms["len"].to_list(), strict=True)),
        "events": events.height,
        "first_index_date": index.min(),
        "last_index_date": index.max(),
        # The last day anyone is followed (the study's data end, or earlier personal ends).
        "data_end": frame["followup_end"].max(),
        "incomplete_lookback": int((~frame["full_lookback"]).sum()),
    }


def _ci(est: Result) -> Result:
    if "estimate" not in est or est.get("measure") not in ("odds_ratio", "rate_ratio", "hazard_ratio"):
        return {"estimate": None, "ci_low": None, "ci_high": None}
    return {"estimate": est["estimate"], "ci_low": est["ci_low"], "ci_high": est["ci_high"]}


def _figures(study: Study, arm: Arm, comp: Arm, entry: Result) -> dict[str, str]:
    rows = [{**r, "covariate": r.get("label", r["covariate"])} for r in entry["balance"]]
    figs = {"love_plot": svg.love_plot(rows=rows, title=f"Covariate balance: {arm.label} vs {comp.label}")}
    labels = {a.name: a.label for a in study.arms}
    for r in entry["outcomes"]:
        if r["measure"] == "time_to_first":
            curves = {labels.get(k, k): v for k, v in r["kaplan_meier"].items()}
            figs[f"km_{r['outcome']}"] = svg.km_plot(
                curves=curves, title=f"Share without {EVENT_NOUN.get(r['event'], r['label'])}"
            )
    forest = [{"label": r["label"], **_ci(r["design"])} for r in entry["outcomes"]]
    forest += [{"label": s.get("label", s["level"]), **_ci(s["estimate"])} for s in entry["subgroups"]]
    figs["forest_plot"] = svg.forest_plot(
        rows=forest, title=f"Estimated effects: {arm.label} vs {comp.label}"
    )
    return figs


def _pair_figures(h2h: Result) -> dict[str, str]:
    rows = []
    for o in h2h["outcomes"]:
        for p in o["pairs"]:
            est = p["estimate"]
            ci = _ci({**est, "ci_low": est.get("adjusted_ci_low"), "ci_high": est.get("adjusted_ci_high")})
            rows.append({"label": f"{o['label']}: {p['label']}", **ci})
    return {"forest_plot": svg.forest_plot(rows=rows, title="Every arm against every other, one population")}
