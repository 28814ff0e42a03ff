"""Audit appends under concurrency: entries a second, p50 and p99 per number of processes.

Run: .venv/bin/python benchmarks/audit_bench.py [--processes 1,2,4,8] [--seconds 5]
         [--databases sqlite,postgresql] [--source DIR]

Each process (multiprocessing, spawn) opens its own connection and appends audit entries
(`audit_record`, as every request does) for `seconds`; the table gives the total entries a
second, the p50 and p99 of one append in milliseconds, and errors (SQLite's busy writer past
its wait). Where the code has a sealer (offramp/access/seal.py), one more process seals as
`offramp worker` does, every SEAL_EVERY_SECONDS, and the table gives the entries still unsealed
when the appends stop (the worker's next runs take them); at the end everything is sealed and
`offramp audit verify` must pass.

PostgreSQL is used when OFFRAMP_DATABASE_URL is set: each run gets a fresh database next to the
named one, dropped afterwards. SQLite gets a fresh file database in a temporary folder.
`--source DIR` runs the code in DIR instead of this checkout, e.g. the code before the sealer:
    git archive <commit> | tar -x -C /tmp/audit-before
    .venv/bin/python benchmarks/audit_bench.py --source /tmp/audit-before
"""

import argparse
import importlib.util
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offramp.settings")
    django.setup()


def _has_sealer() -> bool:
    return importlib.util.find_spec("offramp.access.seal") is not None


def appender(start, seconds: float, results, number: int) -> None:
    _setup()
    from django.db import OperationalError

    from offramp.access.audit import Action, audit_record
    from offramp.access.scope import Actor

    actor = Actor.system(f"bench{number}")
    audit_record(actor=actor, action=Action.READ)  # open the connection
    start.wait()
    times, errors, i = [], 0, 0
    end = time.perf_counter() + seconds
    while (began := time.perf_counter()) < end:
        i += 1
        try:
            audit_record(
                actor=actor, action=Action.READ, object_type="Case", object_id=i, detail={"view": "bench"}
            )
        except OperationalError:
            errors += 1
            continue
        times.append(time.perf_counter() - began)
    results.put((times, errors))


def sealer(start, done, results) -> None:
    """Seal as the worker does until the appends end; then report how many were left unsealed."""
    _setup()
    from offramp.access.models import AuditEntry
    from offramp.access.seal import SEAL_EVERY_SECONDS, SEAL_GRACE_SECONDS, audit_seal

    start.wait()
    while not done.wait(SEAL_EVERY_SECONDS):
        audit_seal(grace_seconds=SEAL_GRACE_SECONDS)
    results.put(AuditEntry.objects.filter(seq__isnull=True).count())


def run(processes: int, seconds: float) -> dict:
    context = mp.get_context("spawn")
    seals = _has_sealer()
    start = context.Barrier(processes + 1 + seals)
    done, results, left = context.Event(), context.Queue(), context.Queue()
    workers = [context.Process(target=appender, args=(start, seconds, results, n)) for n in range(processes)]
    if seals:
        workers.append(context.Process(target=sealer, args=(start, done, left)))
    for worker in workers:
        worker.start()
    start.wait()
    collected = [results.get() for _ in range(processes)]
    done.set()
    waiting = left.get() if seals else None
    for worker in workers:
        worker.join()
    times = sorted(t for chunk, _ in collected for t in chunk)
    return {
        "rate": len(times) / seconds,
        "p50": statistics.median(times) * 1000 if times else 0.0,
        "p99": times[min(len(times) - 1, int(0.99 * len(times)))] * 1000 if times else 0.0,
        "errors": sum(errors for _, errors in collected),
        "unsealed": waiting,
    }


def _migrate(source: Path) -> None:
    command = [sys.executable, "-m", "offramp.cli", "migrate", "--verbosity", "0"]
    subprocess.run(command, cwd=source, check=True)  # noqa: S603  (our own interpreter and module)


def _verify(source: Path) -> str:
    command = [sys.executable, "-m", "offramp.cli", "audit", "verify"]
    out = subprocess.run(command, cwd=source, capture_output=True, text=True)  # noqa: S603
    return (out.stdout or out.stderr).strip().splitlines()[-1][:90] if (out.stdout or out.stderr) else ""


def _fresh_postgres(url: str) -> tuple[str, str]:
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(database: str, counts: list[int], seconds: float, source: Path) -> list[tuple]:
    url = os.environ.get("OFFRAMP_DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="offramp-audit-bench-") as data:
        os.environ["OFFRAMP_DATA_DIR"] = data
        name = ""
        if database == "postgresql":
            os.environ["OFFRAMP_DATABASE_URL"], name = _fresh_postgres(url)
        else:
            os.environ.pop("OFFRAMP_DATABASE_URL", None)
        try:
            _migrate(source)
            rows = [(database, n, run(n, seconds)) for n in counts]
            verified = _verify(source)
        finally:
            if name:
                _drop_postgres(url, name)
            if url:
                os.environ["OFFRAMP_DATABASE_URL"] = url
    return rows + [(database, "verify", verified)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", default="1,2,4,8")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--source", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args()
    source = Path(args.source).resolve()
    sys.path.insert(0, str(source))  # the spawned processes inherit it
    os.environ["PYTHONPATH"] = str(source)  # and so do `migrate` and `audit verify`
    os.environ.setdefault("OFFRAMP_MODE", "test")
    databases = [
        d for d in args.databases.split(",") if d != "postgresql" or os.environ.get("OFFRAMP_DATABASE_URL")
    ]
    counts = [int(n) for n in args.processes.split(",")]
    print(
        f"code: {source} ({'appends, then a sealer' if _has_sealer() else 'one locked chain head'})",
        flush=True,
    )
    header = f"{'procs':>5} {'entries/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'unsealed':>8}"
    print(f"{'database':<11} {header}", flush=True)
    for database in databases:
        for db, n, r in bench(database, counts, args.seconds, source):
            if n == "verify":
                print(f"{db:<11} audit verify: {r}", flush=True)
                continue
            unsealed = "-" if r["unsealed"] is None else f"{r['unsealed']:,}"
            print(
                f"{db:<11} {n:>5} {r['rate']:>9,.0f} {r['p50']:>7.2f} {r['p99']:>7.2f} {r['errors']:>6} "
                f"{unsealed:>8}",
                flush=True,
            )


if __name__ == "__main__":
    main()
