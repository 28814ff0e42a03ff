"""Coverage study: how often the engine's 95% confidence intervals contain the simulator's true effect.

For each replicate a program and comparison pool are simulated with a known effect (the ATT odds ratio
of re-arrest within 12 months, and the rate ratio, which is also the hazard ratio, for every
arrest-driven outcome), run through `run_study` with each design, and each interval checked against
the truth. Prints a table (not a test): about 95% is the target; with R replicates the Monte Carlo
error of a 95% coverage is about 1.96 * sqrt(0.95 * 0.05 / R) (about 3 points at R = 200).

.venv/bin/python benchmarks/evaluation_coverage.py [--reps 200] [--people 1500]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time
from pathlib import Path

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import simulate
from offramp.evaluation.study import Matching, study_load

EXAMPLE = Path(__file__).resolve().parents[1] / "offramp" / "evaluation" / "examples" / "seattle_design.toml"
DESIGNS = {
    "IPW (ATT weights)": Matching(method="ipw", estimand="att"),
    "1:1 matching, caliper 0.2 SD": Matching(method="nearest", ratio=1, caliper_sd=0.2),
    "1:2 matching with replacement": Matching(method="nearest", ratio=2, caliper_sd=0.2, replacement=True),
}
# outcome -> which truth its design estimate targets
TARGETS = {
    "any_arrest_12m": "att_odds_ratio_12m",
    "bookings_12m": "rate_ratio",
    "time_to_rearrest": "hazard_ratio",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--odds-ratio", type=float, default=0.5)
    args = parser.parse_args()
    base = study_load(path=EXAMPLE)
    base = dataclasses.replace(
        base,
        outcomes=tuple(o for o in base.outcomes if o.name in TARGETS),
        analysis=dataclasses.replace(base.analysis, subgroups=()),
    )
    hits = {(d, o): [0, 0] for d in DESIGNS for o in TARGETS}
    started = time.perf_counter()
    for rep in range(args.reps):
        sim = simulate(n_people=args.people, seed=10_000 + rep, att_odds_ratio_12m=args.odds_ratio)
        for design, matching in DESIGNS.items():
            study = dataclasses.replace(base, matching=matching)
            report = run_study(study, sim.people, sim.events, data_end=sim.data_end, include_figures=False)
            for o in report["contrasts"][0]["outcomes"]:
                est = o["design"]
                if est.get("ci_low") is None:
                    continue
                truth = sim.truth[TARGETS[o["outcome"]]]
                cell = hits[(design, o["outcome"])]
                cell[0] += est["ci_low"] <= truth <= est["ci_high"]
                cell[1] += 1
    mc = 1.96 * math.sqrt(0.95 * 0.05 / args.reps)
    print(
        f"Coverage of 95% intervals: {args.reps} replicates of {args.people:,} people, "
        f"true ATT odds ratio {args.odds_ratio} ({time.perf_counter() - started:.0f} s)"
    )
    print(f"Monte Carlo margin at 95%: +/- {100 * mc:.1f} points\n")
    print(f"{'design':<32} {'outcome':<18} {'estimate of':<20} {'covered':>8} {'runs':>5} {'coverage':>9}")
    for (design, outcome), (covered, runs) in hits.items():
        share = covered / runs if runs else float("nan")
        print(f"{design:<32} {outcome:<18} {TARGETS[outcome]:<20} {covered:>8} {runs:>5} {share:>9.1%}")


if __name__ == "__main__":
    main()
