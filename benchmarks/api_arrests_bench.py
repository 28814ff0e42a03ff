"""How fast does continuous screening take arrests through the API?

Posts N synthetic arrests (default 1,000,000) to POST /api/v1/arrests in batches (default 10,000) with an
integration's token, through the whole stack in-process (middleware, token, rate limit, validation,
screening, storing, audit), in a child process with its own database: a fresh SQLite database, or
OFFRAMP_DATABASE_URL (an empty PostgreSQL database) when set. Prints arrests per second end to end, for
screening alone (building the frame, the engine, arrest times) and for storing alone (the bulk write:
executemany on SQLite, COPY on PostgreSQL), and the ratio of storing to screening (the aim: at most 2).
Run:

    .venv/bin/python benchmarks/api_arrests_bench.py [N] [--batch 10000]
    OFFRAMP_DATABASE_URL=postgres://postgres@127.0.0.1:5432/offramp_bench \\
        .venv/bin/python benchmarks/api_arrests_bench.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import datetime as dt, json, os, random, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "offramp.settings"
django.setup()
from django.core.management import call_command
from django.test import Client
from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.api import scopes
from offramp.api.actions import integration_issue
from offramp.programs.models import Program
from offramp.referrals import continuous_actions, screening
from offramp.referrals.actions import protocol_publish_example

call_command("migrate", verbosity=0)
n, batch = int(os.environ["BENCH_ROWS"]), int(os.environ["BENCH_BATCH"])
program = Program.objects.create(name="Bench", slug="bench", jurisdiction="Bench", time_zone="UTC")
protocol_publish_example(program=program, name="seattle")
admin = Actor(user=None, program=program, roles=frozenset({Role.SYSTEM_ADMIN}), label="system:bench")
_, token = integration_issue(actor=admin, name="bench-rms", scopes=[scopes.ARRESTS_WRITE], days=1,
                             rate_per_minute=10_000)

timings = {"screen": 0.0, "store": 0.0}
def timed(name, fn):
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            timings[name] += time.perf_counter() - started
    return run
# Screening: the frame, the engine and the arrest times; storing: the bulk write.
continuous_actions.arrests_frame = timed("screen", continuous_actions.arrests_frame)
screening.screen = timed("screen", screening.screen)
screening.with_arrest_times = timed("screen", screening.with_arrest_times)
continuous_actions._store_arrests = timed("store", continuous_actions._store_arrests)

STATUTES = ["RCW 69.50.4013", "RCW 69.50.401", "RCW 9A.88.030", "RCW 9A.56.050", "RCW 9A.52.080",
            "RCW 9A.36.021", "RCW 46.61.502", "RCW 9A.56.068"]
SUBSTANCES = [None, "heroin", "fentanyl", "methamphetamine", "cocaine"]
rng = random.Random(1)
start_day = dt.date(2025, 1, 1)
def arrest(i):
    return {
        "incident_number": f"25-{i:08d}", "statute": rng.choice(STATUTES),
        "incident_date": (start_day + dt.timedelta(days=rng.randrange(365))).isoformat(),
        "incident_time": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
        "date_of_birth": (dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))).isoformat(),
        "quantity_grams": rng.choice([None, 0.5, 1.0, 2.5, 4.2, 28.0]), "substance": rng.choice(SUBSTANCES),
        "officer": f"Officer {rng.randrange(120)}", "area": rng.choice(["North", "South", "East", "West"]),
        "race": rng.choice(["White", "Black", "Asian", "Native", "Unknown"]), "sex": rng.choice(["F", "M"]),
    }

client = Client()
headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
posted = 0
total = 0.0
for first in range(0, n, batch):
    body = json.dumps({"arrests": [arrest(i) for i in range(first, min(n, first + batch))]})
    started = time.perf_counter()
    response = client.post("/api/v1/arrests", data=body, content_type="application/json", **headers)
    total += time.perf_counter() - started
    assert response.status_code == 201, response.content[:500]
    posted += response.json()["stored"]
print(json.dumps({"posted": posted, "total": total, **timings}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "OFFRAMP_MODE": "test",
            "OFFRAMP_DATA_DIR": data,
            "BENCH_ROWS": str(args.rows),
            "BENCH_BATCH": str(args.batch),
        }
        out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True)  # noqa: S603
        if out.returncode:
            sys.exit(out.stderr[-4000:])
        r = json.loads(out.stdout.strip().splitlines()[-1])
    database = "PostgreSQL" if os.environ.get("OFFRAMP_DATABASE_URL") else "SQLite"
    n = r["posted"]
    print(f"{database}: {n:,} arrests posted in batches of {args.batch:,}")
    print(f"end to end:   {r['total']:7.2f} s  {n / r['total']:>10,.0f} arrests/s (stack, validation, audit)")
    print(f"screened:     {r['screen']:7.2f} s  {n / r['screen']:>10,.0f} arrests/s")
    print(f"stored:       {r['store']:7.2f} s  {n / r['store']:>10,.0f} arrests/s")
    print(f"ratio store / screen: {r['store'] / r['screen']:.2f}  (aim: at most 2.00)")


if __name__ == "__main__":
    main()
