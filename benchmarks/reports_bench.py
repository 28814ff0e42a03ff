"""The program dashboard's cost as a program grows: queries, median and p95 render time.

Run: .venv/bin/python benchmarks/reports_bench.py [--sizes 1000,100000] [--repeat 20]

Each size gets a fresh SQLite database in a temporary folder, seeded with the demo generator; a
project manager opens the dashboard (default period: the twelve months to this one, every door)
`repeat` times after one warm-up. The table gives the query count (which must not grow), the
median and p95 in milliseconds, and the p95's ratio to the smallest size (target: at most 1.5).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, statistics, time
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
seed_program(people=int(os.environ["BENCH_PEOPLE"]), seed=1)
client = Client()
client.force_login(get_user_model().objects.get(username="projectmanager"))
result = {}
pages = (("dashboard", "/program/dashboard/"), ("dashboard_arrests", "/program/dashboard/?door=arrest"))
for name, url in pages:
    assert client.get(url).status_code == 200
    times = []
    for _ in range(int(os.environ["BENCH_REPEAT"])):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    result[name] = {
        "queries": len(queries),
        "median": statistics.median(times),
        "p95": p95,
        "bytes": len(response.content),
    }
print(json.dumps(result))
"""


def run(people: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "OFFRAMP_MODE": "test",
            "OFFRAMP_DATA_DIR": data,
            "BENCH_PEOPLE": str(people),
            "BENCH_REPEAT": str(repeat),
        }
        env.pop("OFFRAMP_DATABASE_URL", None)
        command = [sys.executable, "-c", CHILD]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [(size, run(size, args.repeat)) for size in sizes]
    base = rows[0][1]
    print(f"{'people':>9} {'page':<18} {'queries':>7} {'median ms':>9} {'p95 ms':>8} {'x p95':>6} {'KB':>6}")
    for size, result in rows:
        for name, r in result.items():
            ratio = r["p95"] / base[name]["p95"]
            print(
                f"{size:>9,} {name:<18} {r['queries']:>7} {r['median'] * 1000:>9.1f} {r['p95'] * 1000:>8.1f} "
                f"{ratio:>6.2f} {r['bytes'] / 1024:>6.1f}"
            )


if __name__ == "__main__":
    main()
