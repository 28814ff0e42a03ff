"""Time run_study on simulated programs of 1k, 10k and 100k people; prints a table (not a test).

.venv/bin/python benchmarks/evaluation_bench.py [--sizes 1000,10000,100000] [--method ipw|nearest]
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from offramp.evaluation.report import run_study
from offramp.evaluation.simulate import simulate
from offramp.evaluation.study import study_load

EXAMPLE = Path(__file__).resolve().parents[1] / "offramp" / "evaluation" / "examples" / "seattle_design.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--method", default="ipw", choices=["ipw", "nearest"])
    parser.add_argument("--replacement", action="store_true")
    args = parser.parse_args()
    study = study_load(path=EXAMPLE)
    study = dataclasses.replace(
        study, matching=dataclasses.replace(study.matching, method=args.method, replacement=args.replacement)
    )
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        sim = simulate(n_people=n, seed=1)
        start = time.perf_counter()
        run_study(study, sim.people, sim.events, data_end=sim.data_end)
        rows.append((n, sim.events.height, time.perf_counter() - start))
    base_n, _, base_t = rows[0]
    print(f"run_study, method={args.method}{' with replacement' if args.replacement else ''}")
    print(f"{'people':>8} {'events':>10} {'seconds':>9} {'x time':>8} {'x people':>9} {'us/person':>10}")
    for n, events, secs in rows:
        ratio_t, ratio_n = secs / base_t, n / base_n
        print(f"{n:>8} {events:>10} {secs:>9.2f} {ratio_t:>8.1f} {ratio_n:>9.0f} {1e6 * secs / n:>10.1f}")


if __name__ == "__main__":
    main()
