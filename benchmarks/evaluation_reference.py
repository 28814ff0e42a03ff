"""The engine against a reference pipeline written as a researcher would, on the same synthetic study.

The reference uses pandas (merge and filter), scikit-learn (LogisticRegression(penalty=None) for the
propensity score, NearestNeighbors for matching) and lifelines (Kaplan-Meier, Cox). Both answer the
same questions on the same data: prior arrests in 6/12/24 months and a prior felony as covariates with
age, sex, race/ethnicity, offence and area; any re-arrest within 6, 12 and 24 months (censored without
full follow-up) and time to first re-arrest; 1:1 nearest-neighbour matching with replacement on the
logit of the score, caliper 0.2 pooled SD, redone among people with full follow-up for each window;
the ATT odds ratio per window; Kaplan-Meier curves and a hazard ratio for time to re-arrest. The engine
(`run_study`) also computes unadjusted and regression estimates, balance, costs and the SVG charts, so
the comparison is conservative.

Each pipeline runs in its own process, so each one's peak memory (max RSS) is its own.

.venv/bin/python benchmarks/evaluation_reference.py [--people 1000000]
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "offramp" / "evaluation" / "examples" / "seattle_design.toml"
WINDOWS = (6, 12, 24)
CATEGORICAL = ["sex", "race_ethnicity", "offence_type", "area"]
NUMERIC = ["prior_arrest_6m", "prior_arrest_12m", "prior_arrest_24m", "any_prior_charge_felony_24m", "age"]


def _study():
    from offramp.evaluation.study import Matching, study_load

    study = study_load(path=EXAMPLE)
    keep = {f"any_arrest_{m}m" for m in WINDOWS} | {"time_to_rearrest"}
    return dataclasses.replace(
        study,
        outcomes=tuple(o for o in study.outcomes if o.name in keep),
        matching=Matching(method="nearest", ratio=1, caliper_sd=0.2, replacement=True),
        analysis=dataclasses.replace(study.analysis, subgroups=()),
    )


def run_engine(data: Path) -> dict:
    import polars as pl

    from offramp.evaluation.report import run_study

    people, events = pl.read_parquet(data / "people.parquet"), pl.read_parquet(data / "events.parquet")
    meta = json.loads((data / "meta.json").read_text())
    import datetime as dt

    started = time.perf_counter()
    report = run_study(_study(), people, events, data_end=dt.date.fromisoformat(meta["data_end"]))
    seconds = time.perf_counter() - started
    outcomes = {o["outcome"]: o["design"] for o in report["contrasts"][0]["outcomes"]}
    return {
        "seconds": seconds,
        "odds_ratios": {f"any_arrest_{m}m": outcomes[f"any_arrest_{m}m"]["estimate"] for m in WINDOWS},
        "time_to_rearrest": outcomes["time_to_rearrest"]["estimate"],
        "time_to_rearrest_measure": outcomes["time_to_rearrest"]["measure"],
    }


def run_reference(data: Path) -> dict:
    import numpy as np
    import pandas as pd
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestNeighbors

    people = pd.read_parquet(data / "people.parquet")
    events = pd.read_parquet(data / "events.parquet")
    meta = json.loads((data / "meta.json").read_text())
    started = time.perf_counter()

    data_end = pd.Timestamp(meta["data_end"])
    people["index_date"] = pd.to_datetime(people["index_date"])
    people["end"] = pd.to_datetime(people["followup_end"]).fillna(data_end).clip(upper=data_end)
    events["date"] = pd.to_datetime(events["date"])
    events = events[~events["index_related"]]
    merged = events.merge(people[["person_id", "index_date", "end"]], on="person_id", how="inner")
    arrests = merged[merged["kind"] == "arrest"]

    # Covariates: prior arrests in 6/12/24 months, any felony charge in 24 months.
    for m in WINDOWS:
        start = arrests["index_date"] - pd.DateOffset(months=m)
        prior = arrests[(arrests["date"] >= start) & (arrests["date"] < arrests["index_date"])]
        people[f"prior_arrest_{m}m"] = people["person_id"].map(prior.groupby("person_id").size()).fillna(0)
    felony = merged[merged["kind"] == "charge_felony"]
    felony = felony[
        (felony["date"] >= felony["index_date"] - pd.DateOffset(months=24))
        & (felony["date"] < felony["index_date"])
    ]
    people["any_prior_charge_felony_24m"] = people["person_id"].isin(felony["person_id"]).astype(int)

    # Outcomes: any re-arrest within each window; missing when follow-up is shorter than the window.
    after = arrests[(arrests["date"] > arrests["index_date"]) & (arrests["date"] <= arrests["end"])]
    for m in WINDOWS:
        window_end = people["index_date"] + pd.DateOffset(months=m)
        ends = after["index_date"] + pd.DateOffset(months=m)
        hit = after[after["date"] <= ends]["person_id"].unique()
        y = people["person_id"].isin(hit).astype(float)
        people[f"any_arrest_{m}m"] = y.where(window_end <= people["end"])
    first = after.groupby("person_id")["date"].min()
    people["first"] = people["person_id"].map(first)
    people["event"] = people["first"].notna().astype(int)
    people["time"] = (people["first"].fillna(people["end"]) - people["index_date"]).dt.days
    people = people[people["time"] > 0]

    # Propensity score: unpenalised logistic regression (scikit-learn's default would be L2-penalised).
    x = pd.concat(
        [
            people[NUMERIC].astype(float),
            pd.get_dummies(people[CATEGORICAL].astype(str), drop_first=True, dtype=float),
        ],
        axis=1,
    )
    t = (people["arm"] == "lead").to_numpy()
    model = LogisticRegression(penalty=None, max_iter=2000).fit(x.to_numpy(), t)
    logit = model.decision_function(x.to_numpy())
    caliper = 0.2 * np.sqrt((np.var(logit[t], ddof=1) + np.var(logit[~t], ddof=1)) / 2)

    def match(mask):
        """1:1 nearest neighbour with replacement within ``mask``; control weights = times used."""
        treated_rows, control_rows = np.flatnonzero(mask & t), np.flatnonzero(mask & ~t)
        nn = NearestNeighbors(n_neighbors=1).fit(logit[control_rows, None])
        dist, idx = nn.kneighbors(logit[treated_rows, None])
        ok = dist[:, 0] <= caliper
        weights = np.zeros(len(people))
        weights[treated_rows[ok]] = 1
        np.add.at(weights, control_rows[idx[ok, 0]], 1)
        return weights

    odds_ratios = {}
    for m in WINDOWS:
        y = people[f"any_arrest_{m}m"].to_numpy()
        w = match(~np.isnan(y))
        p1 = np.average(y[t & (w > 0)], weights=w[t & (w > 0)])
        p0 = np.average(y[~t & (w > 0)], weights=w[~t & (w > 0)])
        odds_ratios[f"any_arrest_{m}m"] = (p1 / (1 - p1)) / (p0 / (1 - p0))

    w = match(np.ones(len(people), bool))
    matched = people.assign(w=w, lead=t.astype(int))[w > 0][["time", "event", "lead", "w"]]
    for arm in (0, 1):
        sub = matched[matched["lead"] == arm]
        KaplanMeierFitter().fit(sub["time"], sub["event"], weights=sub["w"])
    cox = CoxPHFitter().fit(matched, duration_col="time", event_col="event", weights_col="w", robust=True)
    return {
        "seconds": time.perf_counter() - started,
        "odds_ratios": odds_ratios,
        "time_to_rearrest": float(np.exp(cox.params_["lead"])),
        "time_to_rearrest_measure": "hazard_ratio (weighted Cox)",
    }


def _child(role: str, data: Path) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--role", role, "--data", str(data)], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"the {role} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--role", choices=["engine", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        result = (run_engine if args.role == "engine" else run_reference)(args.data)
        # The process's own peak resident memory (Linux reports kilobytes), loading the data included.
        result["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        print(json.dumps(result))
        return

    from offramp.evaluation.simulate import simulate

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        sim = simulate(n_people=args.people, seed=args.seed)
        sim.people.write_parquet(data / "people.parquet")
        sim.events.write_parquet(data / "events.parquet")
        (data / "meta.json").write_text(json.dumps({"data_end": sim.data_end.isoformat()}))
        n_events = sim.events.height
        n_arrests = sim.events.filter(sim.events["kind"] == "arrest").height
        print(
            f"Simulated {args.people:,} people, {n_events:,} events ({n_arrests:,} arrests) "
            f"in {time.perf_counter() - started:.0f} s; true ATT odds ratio (12 months) "
            f"{sim.truth['att_odds_ratio_12m']:.3f}, hazard ratio {sim.truth['hazard_ratio']:.3f}"
        )
        del sim
        engine = _child("engine", data)
        reference = _child("reference", data)
    print()
    print(f"{'':<28} {'engine':>14} {'reference':>14}")
    print(f"{'seconds':<28} {engine['seconds']:>14.1f} {reference['seconds']:>14.1f}")
    print(f"{'peak memory, GB (max RSS)':<28} {engine['peak_gb']:>14.2f} {reference['peak_gb']:>14.2f}")
    for name in engine["odds_ratios"]:
        print(
            f"{'ATT odds ratio ' + name:<28} {engine['odds_ratios'][name]:>14.4f} "
            f"{reference['odds_ratios'][name]:>14.4f}"
        )
    print(
        f"{'time to re-arrest':<28} {engine['time_to_rearrest']:>14.4f} "
        f"{reference['time_to_rearrest']:>14.4f}"
        f"   ({engine['time_to_rearrest_measure']} / {reference['time_to_rearrest_measure']})"
    )
    print(f"\nreference / engine time: {reference['seconds'] / engine['seconds']:.1f}x")


if __name__ == "__main__":
    main()
