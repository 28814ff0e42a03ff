"""How fast does the eligibility engine screen referrals in bulk?

Prints, for each batch size, the time to build N Facts (the floor any caller pays) and the time
to decide them with one compiled protocol, and the ratio of the two. Run:

    .venv/bin/python benchmarks/eligibility_bench.py [N ...]      # default: 10000 100000 1000000
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from offramp.referrals.eligibility import Facts, HistoryEntry, compile_protocol, decide_many
from offramp.referrals.protocol import example

PROTOCOLS = ("seattle", "santa_fe", "san_francisco")


def make_rows(p, n: int, seed: int = 1) -> list[Facts]:
    """Arrests spread across the protocol's offences, with a realistic mix of history and flags."""
    rng = random.Random(seed)
    statutes = [o.statute for o in p.offences] + ["OTHER 1"]
    codes = ["120", "13A", "35A", "40A", "23C", "90J"]
    day = dt.date(2024, 6, 1)
    rows = []
    for _ in range(n):
        history = tuple(
            HistoryEntry(nibrs=rng.choice(codes), date=day - dt.timedelta(days=rng.randrange(1, 7000)))
            for _ in range(rng.randrange(0, 4))
        )
        rows.append(
            Facts(
                door=rng.choice(("arrest", "arrest", "arrest", "social_contact")),
                statute=rng.choice(statutes),
                quantity_grams=rng.random() * 8,
                substance=rng.choice(("heroin", "fentanyl", "methamphetamine", "prescription_opioid_pill")),
                age=rng.randrange(16, 70),
                incident_date=day,
                history=history,
                prior_activity_date=day - dt.timedelta(days=rng.randrange(1, 900)),
                prior_activity_method="records_check",
                prior_activity_in_catchment=rng.random() < 0.9,
                flags={
                    "amenable": rng.random() < 0.9,
                    "subsistence": True,
                    "exploits_minors": False,
                    "promotes_prostitution": False,
                    "sale_to_minor": False,
                    "school_zone": False,
                    "no_contact_order": False,
                    "pending_specialty_court": False,
                    "on_supervision": False,
                },
            )
        )
    return rows


def main(sizes: list[int]) -> None:
    print(f"{'protocol':<14} {'rows':>10} {'build s':>9} {'decide s':>9} {'ratio':>7} {'decisions/s':>12}")
    for name in PROTOCOLS:
        p = example(name)
        compile_protocol(p)
        for n in sizes:
            start = time.perf_counter()
            rows = make_rows(p, n)
            built = time.perf_counter() - start
            start = time.perf_counter()
            count = sum(1 for _ in decide_many(p, rows))
            decided = time.perf_counter() - start
            print(
                f"{name:<14} {count:>10,} {built:>9.2f} {decided:>9.2f} {decided / built:>7.2f} "
                f"{count / decided:>12,.0f}"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
