"""How much does screening add to reading an arrests export?

Generates N synthetic arrests (default 1,000,000) in the example export's shape, then times, in the
same run: reading and checking the file (`read_arrests`: the parse), and reading plus screening it
against the Seattle example protocol (`screen`: the distinct fact tuples decided once, joined back).
Prints rows per second for each and the ratio of screening to parsing (the aim: no more than 1).
With --store, the same file then goes through the database in a child process (a fresh SQLite
database, or OFFRAMP_DATABASE_URL when set): `screening_run_create` (read, screen, match referrals,
store one ScreenedArrest per arrest), then the equity audit page and its CSV, with their SQL query
counts. Run:

    .venv/bin/python benchmarks/screening_bench.py [N] [--store]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from offramp.referrals.protocol import example
from offramp.referrals.screening import load_mapping, read_arrests, screen

EXAMPLES = Path(__file__).resolve().parents[1] / "offramp" / "referrals" / "examples"
STATUTES = [
    "RCW 69.50.4013",
    "RCW 69.50.401",
    "RCW 9A.88.030",
    "RCW 9A.56.050",
    "RCW 9A.52.080",
    "RCW 9A.36.021",
    "RCW 46.61.502",
    "RCW 9A.56.068",
]
GRAMS = ["", "0.2", "0.5", "1.0", "1.8", "2.5", "2.9", "3.0", "4.2", "7.5", "28"]
DRUGS = ["", "HER", "FEN", "METH", "COC", "CRK", "RXOP"]


def synthetic(n: int, path: Path, seed: int = 1) -> None:
    """N arrests written as the example export (columns, date formats and codes)."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 730, n)
    born = rng.integers(0, 365 * 50, n)
    pl.DataFrame(
        {
            "IncidentNo": [f"24-{i:07d}" for i in range(n)],
            "ArrestDate": _dates(2024, days),
            "ArrestTime": pl.Series([f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, 5)])[
                rng.integers(0, 288, n)
            ],
            "ChargeCode": pl.Series(STATUTES)[rng.integers(0, len(STATUTES), n)],
            "ChargeDesc": "Charge",
            "NetWeightG": pl.Series(GRAMS)[rng.integers(0, len(GRAMS), n)],
            "DrugType": pl.Series(DRUGS)[rng.integers(0, len(DRUGS), n)],
            "DOB": _dates(1950, born),
            "Sex": pl.Series(["F", "M", "M", "U"])[rng.integers(0, 4, n)],
            "Race": pl.Series(["A", "B", "I", "P", "W", "U"])[rng.integers(0, 6, n)],
            "Ethnicity": pl.Series(["H", "N", "U"])[rng.integers(0, 3, n)],
            "ArrestingOfficer": pl.Series([f"Officer {i}" for i in range(120)])[rng.integers(0, 120, n)],
            "Unit": pl.Series(["Patrol", "Bike", "Narcotics", "Vice"])[rng.integers(0, 4, n)],
            "Precinct": pl.Series(["North", "South", "East", "West", "Southwest"])[rng.integers(0, 5, n)],
        }
    ).with_columns(pl.all().fill_null("")).write_csv(path)


def _dates(year: int, offsets) -> pl.Series:
    days = pl.Series(offsets) + (np.datetime64(f"{year}-01-01") - np.datetime64("1970-01-01")).astype(int)
    return days.cast(pl.Date).dt.strftime("%m/%d/%Y")


STORE = r"""
import datetime as dt, json, os, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "offramp.settings"
django.setup()
from pathlib import Path
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from offramp.programs.roles import Role
from offramp.accounts.mfa import demo_totp_enrol
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Status
from offramp.people.models import Person
from offramp.programs.models import Membership, Program
from offramp.referrals.actions import protocol_publish_example, screening_run_create
from offramp.referrals.models import Referral

call_command("migrate", verbosity=0)
path, n = Path(os.environ["BENCH_FILE"]), int(os.environ["BENCH_ROWS"])
program = Program.objects.create(name="Bench", slug="bench", jurisdiction="Bench", time_zone="UTC")
user = get_user_model().objects.create_user(username="pm", password="x")
Membership.objects.create(user=user, program=program, role=Role.PROJECT_MANAGER)
demo_totp_enrol(user)  # staff sign in with a second factor
protocol_publish_example(program=program, name="seattle")
now = timezone.now()
with trusted("benchmark"):  # one arrest in 40 diverted, half of those with intake done
    numbers = [f"24-{i:07d}" for i in range(0, n, 40)]
    people = Person.objects.bulk_create(
        [Person(program=program, legal_first_name="P", legal_last_name=f"N{i}",
                date_of_birth=dt.date(1980, 1, 1)) for i in range(len(numbers))], batch_size=2000)
    referrals = Referral.objects.bulk_create(
        [Referral(program=program, person=p, door="arrest", referred_at=now, incident_number=k,
                  offence_statute="RCW 69.50.4013", offence_nibrs="35A") for p, k in zip(people, numbers)],
        batch_size=2000)
    Case.objects.bulk_create(
        [Case(program=program, person=r.person, referral=r, opened_at=now, status_changed_at=now,
              status=Status.ACTIVE if i % 2 else Status.REFERRED, intake_completed_at=now if i % 2 else None)
         for i, r in enumerate(referrals)], batch_size=2000)
actor = Actor(user=user, program=program, roles=frozenset({Role.PROJECT_MANAGER}))
mapping = (Path(os.environ["BENCH_MAPPING"])).read_text(encoding="utf-8")
started = time.perf_counter()
run, _ = screening_run_create(actor=actor, source=path, file_name=path.name, mapping_text=mapping)
result = {"store": time.perf_counter() - started, "rows": run.rows, "eligible": run.eligible}
client = Client()
client.force_login(user)
for name, url in (("page", f"/screening/{run.pk}/equity/"), ("csv", f"/screening/{run.pk}/equity.csv")):
    client.get(url)  # warm: session, templates
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        result[name] = {"seconds": time.perf_counter() - started, "queries": len(queries)}
print(json.dumps(result))
"""


def store(path: Path, n: int) -> None:
    """Time storing the screened file and reading its equity audit, in a child with its own database."""
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "OFFRAMP_MODE": "test",
            "OFFRAMP_DATA_DIR": data,
            "BENCH_FILE": str(path),
            "BENCH_ROWS": str(n),
            "BENCH_MAPPING": str(EXAMPLES / "cascade_pd_mapping.toml"),
        }
        out = subprocess.run([sys.executable, "-c", STORE], env=env, capture_output=True, text=True)  # noqa: S603
        if out.returncode:
            sys.exit(out.stderr)
        r = json.loads(out.stdout.strip().splitlines()[-1])
    database = "PostgreSQL" if os.environ.get("OFFRAMP_DATABASE_URL") else "SQLite"
    print(
        f"store ({database}): {r['store']:6.2f} s  {r['rows'] / r['store']:>12,.0f} rows/s "
        f"(read, screen, match and store {r['rows']:,} arrests, {r['eligible']:,} eligible)"
    )
    for name in ("page", "csv"):
        print(f"equity {name:<4}:    {r[name]['seconds'] * 1000:6.0f} ms  {r[name]['queries']} SQL queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--store", action="store_true", help="also store the run and read its equity audit")
    args = parser.parse_args()
    n = args.rows
    mapping = load_mapping((EXAMPLES / "cascade_pd_mapping.toml").read_text(encoding="utf-8"))
    protocol = example("seattle")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "arrests.csv"
        start = time.perf_counter()
        synthetic(n, path)
        size = path.stat().st_size / 1e6
        print(f"generated {n:,} rows ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
        screen(read_arrests(path, mapping), protocol)  # warm up: file cache, compiled protocol

        start = time.perf_counter()
        frame = read_arrests(path, mapping)
        parse = time.perf_counter() - start

        start = time.perf_counter()
        screened = screen(read_arrests(path, mapping), protocol)
        both = time.perf_counter() - start
        report(n, frame.height, parse, both, screened)
        if args.store:
            store(path, n)


def report(n: int, height: int, parse: float, both: float, screened: pl.DataFrame) -> None:
    screening = both - parse
    distinct = screened.select("statute", "quantity_grams", "substance", "age").n_unique()
    print(f"parse only:      {parse:6.2f} s  {n / parse:>12,.0f} rows/s")
    print(f"parse + screen:  {both:6.2f} s  {n / both:>12,.0f} rows/s")
    print(f"screen alone:    {screening:6.2f} s  ({distinct:,} distinct fact tuples decided)")
    print(f"ratio screen / parse: {screening / parse:.2f}  (aim: at most 1.00)")
    counts = screened.group_by("outcome").len().sort("outcome").rows()
    print("outcomes:", ", ".join(f"{k} {v:,}" for k, v in counts), f"of {height:,}")


if __name__ == "__main__":
    main()
