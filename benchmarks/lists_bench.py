"""Long lists as a program grows: the caseload sorted by last contact, "in the wind", the last page,
and the audit viewer, p50 and p95 per size with the ratio to the smallest.

Run: .venv/bin/python benchmarks/lists_bench.py [--sizes 1000,20000] [--repeat 30]
     [--postgres postgres://postgres@127.0.0.1:5432/offramp_lists_bench]

Each size gets a fresh database: SQLite in a temporary folder, or with --postgres that database
dropped and made again. The seeded program gets ten audit entries per participant (written raw,
as the seed writes people; the bench database's chain is not meant to verify). Pages are served
in-process by Django's test client, as a supervisor (the whole program) and a project manager (the
audit log); each is requested once to warm caches, then `--repeat` times. The goal (issue 12): p95
at the largest size no more than 1.5 times p95 at the smallest.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit, urlunsplit

CHILD = r"""
import html, json, os, re, statistics, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "offramp.settings"
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from offramp.access.models import AuditChainHead, AuditEntry
from offramp.access.scope import trusted
from offramp.demo.bulk import first_id, insert_rows, reset_sequences
from offramp.demo.generator import seed_program

call_command("migrate", verbosity=0)
people = int(os.environ["BENCH_PEOPLE"])
repeat = int(os.environ["BENCH_REPEAT"])
program = seed_program(people=people, seed=1).program
with transaction.atomic(), trusted("bench"):
    start = first_id(AuditEntry)
    seq = (AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    now = timezone.now()
    detail = connection.ops.adapt_json_value({"view": "case"}, None)
    at = connection.ops.adapt_datetimefield_value
    columns = ["seq", "at", "actor_label", "program", "action", "object_type", "object_id", "detail"]
    rows = [
        (start + i, seq + i, at(now - timezone.timedelta(seconds=people * 10 - i)), "casemanager",
         program.pk, "read", "Case", str(i % people + 1), detail)
        for i in range(people * 10)
    ]
    insert_rows(AuditEntry, columns, rows)
    reset_sequences([AuditEntry])
    AuditChainHead.objects.update(seq=seq + people * 10 - 1)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client

supervisor, manager = client_for("supervisor"), client_for("projectmanager")
first = supervisor.get("/caseload/?sort=last_contact&status=open").content.decode()
last_link = re.search(r'href="\?([^"]*)">Last</a>', first)
assert last_link, "the caseload has one page only"
pages = {
    "caseload by name": (supervisor, "/caseload/"),
    "caseload by last contact": (supervisor, "/caseload/?sort=last_contact"),
    "in the wind": (supervisor, "/caseload/?flag=wind&sort=last_contact"),
    "in the wind by name": (supervisor, "/caseload/?flag=wind"),
    "last page": (supervisor, "/caseload/?" + html.unescape(last_link.group(1))),
    "audit viewer": (manager, "/audit/"),
}
result = {}
for name, (client, url) in pages.items():
    assert client.get(url).status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times.sort()
    result[name] = {"p50": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)]}
print(json.dumps(result))
"""


def _fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(people: int, repeat: int, postgres: str) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "OFFRAMP_MODE": "test",
            "OFFRAMP_DATA_DIR": data,
            "BENCH_PEOPLE": str(people),
            "BENCH_REPEAT": str(repeat),
        }
        env.pop("OFFRAMP_DATABASE_URL", None)
        if postgres:
            _fresh_postgres(postgres)
            env["OFFRAMP_DATABASE_URL"] = postgres
        command = [sys.executable, "-c", CHILD]
        out = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if out.returncode:
            sys.exit(out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", default="", help="a database URL to drop and remake per size")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {size: run(size, args.repeat, args.postgres) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"{'PostgreSQL' if args.postgres else 'SQLite'}, {args.repeat} requests per page, ms")
    header = "".join(f" | {f'{size:,} p50':>11} {f'{size:,} p95':>11}" for size in sizes)
    print(f"{'page':<24}{header} | {'x p50':>6} {'x p95':>6}")
    for page in results[small]:
        cells = "".join(
            f" | {results[s][page]['p50'] * 1000:>11.1f} {results[s][page]['p95'] * 1000:>11.1f}"
            for s in sizes
        )
        p50 = results[large][page]["p50"] / results[small][page]["p50"]
        p95 = results[large][page]["p95"] / results[small][page]["p95"]
        print(f"{page:<24}{cells} | {p50:>6.2f} {p95:>6.2f}")


if __name__ == "__main__":
    main()
