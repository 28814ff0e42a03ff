"""The engine against a reference pipeline written as a researcher would, and against today's engine
(the code before the faster one: the commit in BASELINE, taken from git), on the same synthetic study.

The reference uses pandas (merge and filter), scikit-learn (LogisticRegression(penalty=None) for the
propensity score, NearestNeighbors for matching) and lifelines (Kaplan-Meier, Cox). Both answer the
same questions on the same data: prior arrests in 6/12/24 months and a prior felony as covariates with
age, sex, race/ethnicity, offence and area; any re-arrest within 6, 12 and 24 months (censored without
full follow-up) and time to first re-arrest; 1:1 nearest-neighbour matching with replacement on the
logit of the score, caliper 0.2 pooled SD, redone among people with full follow-up for each window;
the ATT odds ratio per window; Kaplan-Meier curves and a hazard ratio for time to re-arrest. The engine
(`run_study`) also computes unadjusted and regression estimates, balance, costs and the SVG charts, so
the comparison is conservative.

Each pipeline runs in its own process, so each one's peak memory (max RSS) is its own; the ratios
are measured in one run, on one machine, at the same time. The engine also runs the full example
study (every outcome, costs and subgroups). Where the method is unchanged the engine's estimates
must equal today's to 1e-6 (log scale); the table prints the largest difference.

.venv/bin/python benchmarks/evaluation_reference.py [--people 1000000] [--skip-baseline]
Needs the bench extra (pip install -e '.[bench]') and git, for today's engine.
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

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "offramp" / "evaluation" / "examples" / "seattle_design.toml"
# Today's engine: the last commit before the faster one.
BASELINE = "f0e7f8d"  # the engine before the speed-up: statsmodels IRLS fits, explicit garbage collection
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


def _log(v: float) -> float:
    import math

    return math.log(v)


def run_engine(data: Path, *, full: bool = False) -> dict:
    import datetime as dt

    import polars as pl

    from offramp.evaluation.report import run_study
    from offramp.evaluation.study import study_load

    people, events = pl.read_parquet(data / "people.parquet"), pl.read_parquet(data / "events.parquet")
    meta = json.loads((data / "meta.json").read_text())
    study = study_load(path=EXAMPLE) if full else _study()
    started, cpu = time.perf_counter(), time.process_time()
    report = run_study(study, people, events, data_end=dt.date.fromisoformat(meta["data_end"]))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    c = report["contrasts"][0]
    outcomes = {o["outcome"]: o for o in c["outcomes"]}
    # Coefficients of models whose method did not change: propensity, logistic and Cox regressions.
    same = {f"propensity {k}": v for k, v in c["design"]["propensity_coefficients"].items()}
    for m in WINDOWS:
        o = outcomes[f"any_arrest_{m}m"]
        for key in ("unadjusted", "regression"):
            same[f"log odds ratio {m}m, {key}"] = _log(o[key]["estimate"])
    tte = outcomes["time_to_rearrest"]
    same["log hazard ratio, unadjusted"] = _log(tte["unadjusted"]["estimate"])
    for i, v in enumerate(tte["regression"]["extra"]["coefficients"]):
        same[f"Cox regression coefficient {i}"] = v
    # Matching estimates (not coefficients): an exact tie in distance can fall the other way when
    # the score differs in its last digits, so these are shown, not held to 1e-6.
    matched = {
        f"log odds ratio {m}m, matched": _log(outcomes[f"any_arrest_{m}m"]["design"]["estimate"])
        for m in WINDOWS
    }
    matched["log rate ratio, time to re-arrest, matched"] = _log(tte["design"]["estimate"])
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "odds_ratios": {
            f"any_arrest_{m}m": outcomes[f"any_arrest_{m}m"]["design"]["estimate"] for m in WINDOWS
        },
        "time_to_rearrest": tte["design"]["estimate"],
        "time_to_rearrest_measure": tte["design"]["measure"],
        "same_method": same,
        "matched": matched,
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
    started, cpu = time.perf_counter(), time.process_time()

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
        "cpu_seconds": time.process_time() - cpu,
        "odds_ratios": odds_ratios,
        "time_to_rearrest": float(np.exp(cox.params_["lead"])),
        "time_to_rearrest_measure": "hazard_ratio (weighted Cox)",
    }


def _peak_gb() -> float:
    """The process's own peak resident memory, loading the data included. On Linux ``ru_maxrss``
    survives exec, so a child started by this script would report the parent's peak (the simulation
    of a million people) when it is higher than its own; the kernel's high-water mark of the
    process's memory map (VmHWM) does not."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024**2  # kB


def _child(role: str, data: Path, pythonpath: str | None = None) -> dict:
    import os

    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath  # today's engine, ahead of the installed tree
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--role", role, "--data", str(data)],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode:
        raise SystemExit(f"the {role} failed:\n{out.stderr}")
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    # The machine may be shared: the load average over the last minute, as the run ended.
    result["load"] = os.getloadavg()[0]
    return result


def _baseline_tree(tmp: Path) -> Path:
    """Today's engine: the BASELINE commit's offramp package, from git."""
    tree = tmp / "baseline"
    tree.mkdir()
    command = ["git", "-C", str(ROOT), "archive", BASELINE, "offramp"]
    archive = subprocess.run(command, capture_output=True, check=True).stdout  # noqa: S603, S607
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)  # noqa: S603, S607
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-baseline", action="store_true", help="do not run today's engine (slow)")
    parser.add_argument("--role", choices=["engine", "engine-full", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        if args.role == "reference":
            result = run_reference(args.data)
        else:
            result = run_engine(args.data, full=args.role == "engine-full")
        result["peak_gb"] = _peak_gb()
        print(json.dumps(result))
        return

    from offramp.evaluation.simulate import simulate

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        sim = simulate(n_people=args.people, seed=args.seed, truth_draws=1)
        sim.people.write_parquet(data / "people.parquet")
        sim.events.write_parquet(data / "events.parquet")
        (data / "meta.json").write_text(json.dumps({"data_end": sim.data_end.isoformat()}))
        n_events = sim.events.height
        n_arrests = sim.events.filter(sim.events["kind"] == "arrest").height
        print(
            f"Simulated {args.people:,} people, {n_events:,} events ({n_arrests:,} arrests) "
            f"in {time.perf_counter() - started:.0f} s; true ATT odds ratio (12 months) "
            f"{sim.truth['att_odds_ratio_12m']:.3f}, conditional hazard ratio {sim.truth['hazard_ratio']:.3f}"
        )
        del sim
        runs = {"engine": _child("engine", data)}
        runs["engine, full example study"] = _child("engine-full", data)
        runs["reference"] = _child("reference", data)
        if not args.skip_baseline:
            runs["today's engine"] = _child("engine", data, str(_baseline_tree(data)))
    names = list(runs)
    engine = runs["engine"]
    print()
    print(f"{'':<32}" + "".join(f"{n:>28}" for n in names))
    print(f"{'seconds':<32}" + "".join(f"{runs[n]['seconds']:>28.1f}" for n in names))
    print(
        f"{'time / engine time':<32}"
        + "".join(f"{runs[n]['seconds'] / engine['seconds']:>27.1f}x" for n in names)
    )
    print(f"{'CPU seconds (process)':<32}" + "".join(f"{runs[n]['cpu_seconds']:>28.1f}" for n in names))
    print(f"{'load average at the end':<32}" + "".join(f"{runs[n]['load']:>28.1f}" for n in names))
    print(f"{'peak memory, GB (max RSS)':<32}" + "".join(f"{runs[n]['peak_gb']:>28.2f}" for n in names))
    for name in engine["odds_ratios"]:
        print(
            f"{'ATT odds ratio ' + name:<32}"
            + "".join(f"{runs[n]['odds_ratios'][name]:>28.4f}" for n in names)
        )
    print(f"{'time to re-arrest':<32}" + "".join(f"{runs[n]['time_to_rearrest']:>28.4f}" for n in names))
    print("  (" + "; ".join(f"{n}: {runs[n]['time_to_rearrest_measure']}" for n in names) + ")")
    if "today's engine" in runs:
        old = runs["today's engine"]["same_method"]
        diffs = {k: abs(v - old[k]) for k, v in engine["same_method"].items() if k in old}
        worst = max(diffs, key=diffs.get)
        print(
            f"\nSame method, engine against today's engine: {len(diffs)} coefficients, largest difference "
            f"{diffs[worst]:.2e} ({worst}); {'within' if diffs[worst] <= 1e-6 else 'OUTSIDE'} 1e-6"
        )
        old_m = runs["today's engine"]["matched"]
        gaps = {k: abs(v - old_m[k]) for k, v in engine["matched"].items()}
        print(f"Matching estimates (log scale), largest difference: {max(gaps.values()):.1e} (distance ties)")
        ratio = runs["today's engine"]["seconds"] / engine["seconds"]
        print(f"today's engine / engine time: {ratio:.1f}x")
    print(f"reference / engine time: {runs['reference']['seconds'] / engine['seconds']:.1f}x")


if __name__ == "__main__":
    main()
