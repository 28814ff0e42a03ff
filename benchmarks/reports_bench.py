"""The program dashboard's and funder report's cost as a program grows, and the council report end to end.

Run: .venv/bin/python benchmarks/reports_bench.py [--sizes 1000,100000] [--repeat 20] [--arrests 100000]

Each size gets a fresh SQLite database in a temporary folder, seeded with the demo generator; a
project manager opens the dashboard (default period: the twelve months to this one, every door)
`repeat` times after one warm-up. The table gives the query count (which must not grow), the
median and p95 in milliseconds, and the p95's ratio to the smallest size (target: at most 1.5).
The funder report (page and CSV) is timed the same way for the last complete quarter. Then, at each
size, `offramp council-report` runs once on an arrests export of `--arrests` rows (the shipped example's
rows repeated with fresh incident numbers) and the shipped legal records, after 1,000 synthetic
evaluation subjects and the example study are loaded; its wall time is the end-to-end figure (goal:
under a minute).
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
pages = (
    ("dashboard", "/program/dashboard/"),
    ("dashboard_arrests", "/program/dashboard/?door=arrest"),
    ("funder", "/program/funder/"),
    ("funder_csv", "/program/funder/measures.csv"),
)
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
rows = int(os.environ["BENCH_ARRESTS"])
if rows:
    import csv, tempfile
    from pathlib import Path
    from offramp.analysis.synthetic import seed_evaluation
    from offramp.programs.models import Program
    from offramp.reports import council

    program = Program.objects.get(slug="demo")
    seed_evaluation(program=program, n_people=1000, run=False)
    referrals = Path(council.__file__).resolve().parents[1] / "referrals" / "examples"
    with tempfile.TemporaryDirectory() as folder:
        arrests = Path(folder) / "arrests.csv"
        example = list(csv.reader((referrals / "cascade_pd_arrests.csv").open()))
        with arrests.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(example[0])
            for i in range(rows):
                row = list(example[1 + i % (len(example) - 1)])
                row[0] = f"B-{i:09d}"
                writer.writerow(row)
        started = time.perf_counter()
        call_command(
            "council-report",
            program="demo",
            arrests=str(arrests),
            mapping=str(referrals / "cascade_pd_mapping.toml"),
            records=str(Path(council.__file__).parent / "examples" / "legal_events.csv"),
            out=folder,
            stdout=open(os.devnull, "w"),
            stderr=open(os.devnull, "w"),
        )
        result["council_report"] = {"arrests": rows, "seconds": time.perf_counter() - started}
print(json.dumps(result))
"""


def run(people: int, repeat: int, arrests: int) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "OFFRAMP_MODE": "test",
            "OFFRAMP_DATA_DIR": data,
            "BENCH_PEOPLE": str(people),
            "BENCH_REPEAT": str(repeat),
            "BENCH_ARRESTS": str(arrests),
        }
        env.pop("OFFRAMP_DATABASE_URL", None)
        command = [sys.executable, "-c", CHILD]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--arrests", type=int, default=100_000, help="Rows of the council report's export")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [(size, run(size, args.repeat, args.arrests)) for size in sizes]
    base = rows[0][1]
    print(f"{'people':>9} {'page':<18} {'queries':>7} {'median ms':>9} {'p95 ms':>8} {'x p95':>6} {'KB':>6}")
    for size, result in rows:
        council_run = result.pop("council_report", None)
        for name, r in result.items():
            ratio = r["p95"] / base[name]["p95"]
            print(
                f"{size:>9,} {name:<18} {r['queries']:>7} {r['median'] * 1000:>9.1f} {r['p95'] * 1000:>8.1f} "
                f"{ratio:>6.2f} {r['bytes'] / 1024:>6.1f}"
            )
        if council_run:
            print(
                f"{size:>9,} council-report end to end on {council_run['arrests']:,} arrests: "
                f"{council_run['seconds']:.1f} s"
            )


if __name__ == "__main__":
    main()
