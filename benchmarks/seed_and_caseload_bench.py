"""Seed speed and caseload page cost as a program grows.

Run: .venv/bin/python benchmarks/seed_and_caseload_bench.py [--sizes 1000,10000,100000]

Each size gets a fresh SQLite database in a temporary folder. The table shows
the time to seed, people per second, and for the caseload page (a case manager's
own, and a supervisor's whole-program view) the number of SQL queries and the
time to render, with ratios to the smallest size: the query count must not grow.
"""

import argparse
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "offramp.settings"
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from offramp.demo.generator import seed_program

call_command("migrate", verbosity=0)
people = int(os.environ["BENCH_PEOPLE"])
started = time.perf_counter()
seed_program(people=people, seed=1)
seed_seconds = time.perf_counter() - started
result = {"seed": seed_seconds}
for username, url in (("casemanager", "/caseload/"), ("supervisor", "/caseload/?sort=last_contact")):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for _ in range(5):
            assert client.get(url).status_code == 200
        elapsed = (time.perf_counter() - started) / 5
    result[username] = {"queries": len(queries) // 5, "seconds": elapsed}
print(json.dumps(result))
"""


def run(people: int) -> dict:
    import json

    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "OFFRAMP_MODE": "test", "OFFRAMP_DATA_DIR": data, "BENCH_PEOPLE": str(people)}
        env.pop("OFFRAMP_DATABASE_URL", None)
        command = [sys.executable, "-c", CHILD]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    rows = [(size, run(size)) for size in sizes]
    base = rows[0][1]
    print(
        f"{'people':>9} {'seed s':>8} {'people/s':>9} {'x seed':>7} | "
        f"{'own q':>5} {'own ms':>7} {'x':>5} | {'all q':>5} {'all ms':>7} {'x':>5}"
    )
    for size, r in rows:
        own, every = r["casemanager"], r["supervisor"]
        own_ratio = own["seconds"] / base["casemanager"]["seconds"]
        print(
            f"{size:>9,} {r['seed']:>8.1f} {size / r['seed']:>9,.0f} {r['seed'] / base['seed']:>7.1f} | "
            f"{own['queries']:>5} {own['seconds'] * 1000:>7.1f} {own_ratio:>5.2f} | "
            f"{every['queries']:>5} {every['seconds'] * 1000:>7.1f} "
            f"{every['seconds'] / base['supervisor']['seconds']:>5.2f}"
        )


if __name__ == "__main__":
    main()
