"""Coverage study: how often the engine's 95% confidence intervals contain the simulator's true effect.

Every estimator is compared with the truth it estimates, computed once on a population of a
million simulated people (``marginal_truth``): the ATT odds ratio of re-arrest within 12 months,
the rate ratio of bookings (collapsible: the same conditionally and marginally), and for time to
re-arrest the marginal hazard ratio among LEAD people (weighted or matched Cox) or the marginal
ratio of first-arrest rates per day at risk (matching with replacement). The three-arm estimators
(LEAD, drug court, booking as usual; one generalised score; IPW for the ATE, vector matching for
the ATT of LEAD people) are checked pair by pair against the same kind of truth, with their
unadjusted 95% intervals; the last column gives how often the three Bonferroni-adjusted intervals
of an outcome all cover at once (at least 95% is the promise).

Prints a table (not a test). With R replicates the Monte Carlo error of a 95% coverage is about
1.96 * sqrt(0.95 * 0.05 / R): 1.9 points at R = 500. Beside each coverage: the mean error of the
estimate (log scale for ratios) against the truth, in units of the estimates' standard deviation
over the replicates, and the mean reported SE over that standard deviation; an interval covers
less than it should when the first is far from 0 (bias) or the second below 1 (SE too small).

.venv/bin/python benchmarks/evaluation_coverage.py [--reps 500] [--people 1500] [--only three-arm]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import marginal_truth, simulate
from offramp.evaluation.study import Arm, Matching, Study, study_load

EXAMPLE = Path(__file__).resolve().parents[1] / "offramp" / "evaluation" / "examples" / "seattle_design.toml"
DESIGNS = {
    "IPW (ATT weights)": Matching(method="ipw", estimand="att"),
    "1:1 matching, caliper 0.2 SD": Matching(method="nearest", ratio=1, caliper_sd=0.2),
    "1:2 matching with replacement": Matching(method="nearest", ratio=2, caliper_sd=0.2, replacement=True),
}
THREE_ARM = {
    "3 arms: GPS weights (ATE)": Matching(method="ipw", estimand="ate"),
    "3 arms: vector matching (ATT)": Matching(
        method="nearest", estimand="att", target_arm="lead", replacement=True
    ),
}
OUTCOMES = ("any_arrest_12m", "bookings_12m", "time_to_rearrest")
DRUG_COURT = Arm(name="drug_court", label="Drug court", role="intervention", describe="people in drug court")


def two_arm_truth(truth: dict[str, Any], design: str, outcome: str) -> tuple[str, float]:
    if outcome == "any_arrest_12m":
        return "ATT odds ratio", truth["att_odds_ratio_12m"]
    if outcome == "bookings_12m":
        return "rate ratio", truth["rate_ratio"]
    if "replacement" in design:
        return "marginal first-event rate ratio (ATT)", truth["marginal_rate_ratio_att"]
    return "marginal hazard ratio (ATT)", truth["marginal_hazard_ratio_att"]


def pair_truth(
    pairs: dict[str, dict[str, float]], pair: list[str], estimand: str, outcome: str, vm: bool
) -> float:
    t = pairs[f"{pair[0]}_vs_{pair[1]}_{estimand}"]
    if outcome == "any_arrest_12m":
        return t["odds_ratio_12m"]
    if outcome == "bookings_12m":
        return t["rate_ratio"]
    return t["first_event_rate_ratio"] if vm else t["hazard_ratio"]


def _error(est: dict[str, Any], truth: float) -> tuple[float, float]:
    """The estimate's error against the truth on the scale of its SE (log for ratios), and the SE."""
    ratio = est["measure"] in ("odds_ratio", "rate_ratio", "hazard_ratio")
    gap = math.log(est["estimate"]) - math.log(truth) if ratio else est["estimate"] - truth
    return gap, float(est["se"])


def base_study() -> Study:
    base = study_load(path=EXAMPLE)
    return dataclasses.replace(
        base,
        outcomes=tuple(o for o in base.outcomes if o.name in OUTCOMES),
        analysis=dataclasses.replace(base.analysis, subgroups=()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--odds-ratio", type=float, default=0.5)
    parser.add_argument("--truth-people", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["two-arm", "three-arm"], help="run one family of designs")
    args = parser.parse_args()
    started = time.perf_counter()
    base = base_study()
    truth2 = marginal_truth(n_people=args.truth_people, att_odds_ratio_12m=args.odds_ratio)
    rr = truth2["rate_ratio"]
    three = {"drug_court_share": 0.25, "treated_share": 0.25, "rate_ratio": rr}
    truth3 = marginal_truth(n_people=args.truth_people, **three)
    hits: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    # Per cell: (estimate on the model scale minus the truth, its SE), one per replicate.
    errors: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    family: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rep in range(args.reps):
        sim = simulate(
            n_people=args.people, seed=10_000 + rep, att_odds_ratio_12m=None, rate_ratio=rr, truth_draws=1
        )
        for design, matching in DESIGNS.items() if args.only != "three-arm" else ():
            study = dataclasses.replace(base, matching=matching)
            report = run_study(study, sim.people, sim.events, data_end=sim.data_end, include_figures=False)
            for o in report["contrasts"][0]["outcomes"]:
                est = o["design"]
                if est.get("ci_low") is None:
                    continue
                name, truth = two_arm_truth(truth2, design, o["outcome"])
                cell = hits[(design, o["outcome"], name)]
                cell[0] += est["ci_low"] <= truth <= est["ci_high"]
                cell[1] += 1
                errors[(design, o["outcome"], name)].append(_error(est, truth))
        sim3 = simulate(
            n_people=args.people, seed=20_000 + rep, att_odds_ratio_12m=None, truth_draws=1, **three
        )
        for design, matching in THREE_ARM.items() if args.only != "two-arm" else ():
            vm = matching.method == "nearest"
            study = dataclasses.replace(base, arms=(*base.arms, DRUG_COURT), matching=matching)
            report = run_study(study, sim3.people, sim3.events, data_end=sim3.data_end, include_figures=False)
            h2h = report["head_to_head"]
            for o in h2h["outcomes"]:
                all_in, any_missing = True, False
                for p in o["pairs"]:
                    est = p["estimate"]
                    if est.get("ci_low") is None:
                        any_missing = True
                        continue
                    truth = pair_truth(truth3["pairs"], p["pair"], h2h["estimand"], o["outcome"], vm)
                    cell = hits[(design, o["outcome"], " vs ".join(p["pair"]))]
                    cell[0] += est["ci_low"] <= truth <= est["ci_high"]
                    cell[1] += 1
                    errors[(design, o["outcome"], " vs ".join(p["pair"]))].append(_error(est, truth))
                    all_in &= est["adjusted_ci_low"] <= truth <= est["adjusted_ci_high"]
                if not any_missing:
                    f = family[(design, o["outcome"])]
                    f[0] += all_in
                    f[1] += 1
        if (rep + 1) % 50 == 0:
            print(f"  {rep + 1} replicates, {time.perf_counter() - started:.0f} s", flush=True)
    mc = 1.96 * math.sqrt(0.95 * 0.05 / args.reps)
    print(
        f"\nCoverage of 95% intervals: {args.reps} replicates of {args.people:,} people; true ATT odds "
        f"ratio {args.odds_ratio}, LEAD rate ratio {rr:.3f}, drug court rate ratio 0.75 "
        f"({time.perf_counter() - started:.0f} s)"
    )
    print(f"Monte Carlo margin at 95%: +/- {100 * mc:.1f} points\n")
    print(
        "| design | outcome | estimate of | truth | runs | coverage | bias / SD | SE / SD | all 3 adjusted |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for (design, outcome, name), (covered, runs) in hits.items():
        share = covered / runs if runs else float("nan")
        fam = family.get((design, outcome)) if design in THREE_ARM else None
        fam_text = f"{fam[0] / fam[1]:.1%}" if fam and fam[1] else ""
        if design in THREE_ARM:
            vm = "vector" in design
            estimand = "att" if vm else "ate"
            pair = name.split(" vs ")
            truth = pair_truth(truth3["pairs"], pair, estimand, outcome, vm)
        else:
            truth = two_arm_truth(truth2, design, outcome)[1]
        gaps = errors[(design, outcome, name)]
        sd = statistics.stdev(g for g, _ in gaps) if len(gaps) > 1 else float("nan")
        bias = statistics.fmean(g for g, _ in gaps) / sd
        se = statistics.fmean(s for _, s in gaps) / sd
        print(
            f"| {design} | {outcome} | {name} | {truth:.3f} | {runs} | {share:.1%} | {bias:+.2f} | {se:.2f} "
            f"| {fam_text} |"
        )


if __name__ == "__main__":
    main()
