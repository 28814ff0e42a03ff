"""Every page that once rendered the whole program, at a small and a large program.

Run: .venv/bin/python benchmarks/scale_pages_bench.py [--small 1000] [--large 20000] [--repeat 10]

Each size gets a fresh database: with OFFRAMP_DATABASE_URL set (PostgreSQL), a database of that
name with `_<size>` added, dropped and made again; else SQLite in a temporary folder. The demo
generator seeds the program, then one screening run of twice as many arrests as participants is
stored (the equity audit's data). Each page is rendered in-process with Django's test client as the
role that uses it, once to warm up and then `repeat` times. The table gives, per page, p50 and p95
in milliseconds, the ratio of the large p95 to the small one (goal: at most 1.5), the response size
in KB (goal: under 150) and the SQL query count (which must not grow).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent

CHILD = r"""
import datetime as dt, json, os, statistics, sys, time
from pathlib import Path
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "offramp.settings"
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from offramp.access.scope import Actor, trusted
from offramp.cases.models import OPEN_STATUSES, Case
from offramp.demo.generator import seed_program
from offramp.programs.roles import Role
from offramp.referrals.actions import screening_run_create
from offramp.workgroup.models import Meeting

sys.path.insert(0, os.environ["BENCH_HERE"])
from screening_bench import EXAMPLES, synthetic

call_command("migrate", verbosity=0)
people = int(os.environ["BENCH_PEOPLE"])
repeat = int(os.environ["BENCH_REPEAT"])
program = seed_program(people=people, seed=1).program
User = get_user_model()
pm = User.objects.get(username="projectmanager")
arrests = Path(os.environ["BENCH_DATA"]) / "arrests.csv"
synthetic(2 * people, arrests)
run, _ = screening_run_create(
    actor=Actor(user=pm, program=program, roles=frozenset({Role.PROJECT_MANAGER})),
    source=arrests,
    file_name=arrests.name,
    mapping_text=(EXAMPLES / "cascade_pd_mapping.toml").read_text(encoding="utf-8"),
)
with trusted("benchmark"):
    open_cases = Case.objects.filter(program=program, status__in=OPEN_STATUSES).order_by("id")
    case_id = open_cases.values_list("id", flat=True)[open_cases.count() // 2]
today = timezone.localdate(timezone=program.zone)


def clear_meetings():
    with trusted("benchmark"):
        Meeting.objects.filter(program=program).delete()


def agenda_create(client, i):
    response = client.post("/workgroup/new", {"held_on": (today + dt.timedelta(days=i + 1)).isoformat()})
    assert response.status_code == 302, response.status_code
    return response


def meeting_today():
    with trusted("benchmark"):
        return Meeting.objects.get(program=program, held_on=today).pk


def kept_agenda():
    client = Client()
    client.force_login(pm)
    client.post("/workgroup/new", {"held_on": today.isoformat()})
    return f"/workgroup/{meeting_today()}/"


def counting(queries):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


clear_meetings()
PAGES = [
    ("program overview", "supervisor", "/program/"),
    ("admin users", "admin", "/users/"),
    ("supervisor case page", "supervisor", f"/cases/{case_id}/"),
    ("equity audit", "projectmanager", f"/screening/{run.pk}/equity/"),
    ("evaluation page", "evaluator", "/evaluation/"),
    ("workgroup agenda creation", "projectmanager", agenda_create),
    ("workgroup agenda", "projectmanager", None),
    ("caseload (case manager)", "casemanager", "/caseload/"),
    ("caseload (supervisor)", "supervisor", "/caseload/"),
]
result = {}
for name, username, url in PAGES:
    if name == "workgroup agenda":
        url = kept_agenda()
    client = Client()
    client.force_login(User.objects.get(username=username))
    fetch = (lambda i: url(client, i)) if callable(url) else (lambda i: client.get(url))
    assert fetch(-1).status_code in (200, 302)  # warm: session, templates, caches
    if callable(url):
        clear_meetings()
    times = []
    for i in range(repeat):
        queries = []
        with connection.execute_wrapper(counting(queries)):
            started = time.perf_counter()
            response = fetch(i)
            times.append(time.perf_counter() - started)
        if callable(url):
            clear_meetings()  # every creation starts from "no meeting yet": the same agenda each time
        assert response.status_code in (200, 302), (name, response.status_code)
    if callable(url):
        client.post("/workgroup/new", {"held_on": today.isoformat()})
        response = client.get(f"/workgroup/{meeting_today()}/")
        clear_meetings()
    times.sort()
    result[name] = {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "bytes": len(response.content),
        "queries": len(queries),
    }
print(json.dumps(result))
"""


def _database(url: str, people: int) -> str:
    """A fresh PostgreSQL database for one size: the URL's name with `_<people>`, dropped and made."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{people}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(people: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "OFFRAMP_MODE": "test",
            "OFFRAMP_DATA_DIR": data,
            "BENCH_DATA": data,
            "BENCH_HERE": str(HERE),
            "BENCH_PEOPLE": str(people),
            "BENCH_REPEAT": str(repeat),
        }
        if os.environ.get("OFFRAMP_DATABASE_URL"):
            env["OFFRAMP_DATABASE_URL"] = _database(os.environ["OFFRAMP_DATABASE_URL"], people)
        out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True)  # noqa: S603
        if out.returncode:
            sys.exit(out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    small = run(args.small, args.repeat)
    large = run(args.large, args.repeat)
    database = "PostgreSQL" if os.environ.get("OFFRAMP_DATABASE_URL") else "SQLite"
    print(f"{database}: {args.small:,} and {args.large:,} participants, {args.repeat} renders per page")
    print(
        f"{'page':<26} {'p50 ms':>14} {'p95 ms':>14} {'x p95':>6} {'KB':>13} {'queries':>9}\n"
        f"{'':<26} {'small':>6} {'large':>7} {'small':>6} {'large':>7} {'':>6} {'small':>6} {'large':>6}"
        f" {'sm':>4} {'lg':>4}"
    )
    for name, s in small.items():
        g = large[name]
        print(
            f"{name:<26} {s['p50'] * 1000:>6.1f} {g['p50'] * 1000:>7.1f} {s['p95'] * 1000:>6.1f} "
            f"{g['p95'] * 1000:>7.1f} {g['p95'] / s['p95']:>6.2f} {s['bytes'] / 1024:>6.1f} "
            f"{g['bytes'] / 1024:>6.1f} {s['queries']:>4} {g['queries']:>4}"
        )


if __name__ == "__main__":
    main()
