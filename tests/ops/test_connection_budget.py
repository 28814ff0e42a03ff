"""`offramp serve` counts the database connections its processes may hold against the server's limit,
asked of the real PostgreSQL (on a SQLite run there is no limit to check)."""

import pytest
from django.db import connection

from offramp.ops.connections import (
    WORKER_CONNECTIONS,
    budget_problem,
    connection_budget,
    connections_available,
    connections_needed,
)
from tests.commands import offramp_env, run_offramp

pytestmark = pytest.mark.django_db


def _server_limit() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        (limit,) = cursor.fetchone()
        cursor.execute("SHOW superuser_reserved_connections")
        (reserved,) = cursor.fetchone()
    return int(limit) - int(reserved)


def test_it_needs_a_connection_per_thread_in_every_process_and_two_for_the_worker():
    assert connections_needed(processes=3, threads=8) == 3 * 8 + WORKER_CONNECTIONS
    assert connections_needed(processes=1, threads=4, workers=2) == 4 + 2 * WORKER_CONNECTIONS


def test_it_reads_the_limit_from_the_database_server():
    if connection.vendor != "postgresql":
        assert connections_available() is None
        assert connection_budget(processes=500, threads=500).fits, "SQLite has no connection limit"
        return
    available = _server_limit()
    assert connections_available() == available
    assert connection_budget(processes=1, threads=available - WORKER_CONNECTIONS).fits
    over = connection_budget(processes=1, threads=available - WORKER_CONNECTIONS + 1)
    assert not over.fits
    problem = budget_problem(over, processes=1, threads=available - WORKER_CONNECTIONS + 1)
    assert f"need {available + 1} database connections, but PostgreSQL accepts {available}" in problem


def test_serve_refuses_more_processes_than_the_database_accepts_in_one_line(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's max_connections: the run on PostgreSQL checks this")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = offramp_env(tmp_path, OFFRAMP_MODE="test", OFFRAMP_DATABASE_URL=url)
    threads = _server_limit()  # with the worker's two, two more than the server takes
    result = run_offramp("serve", "--processes", "1", "--threads", str(threads), "--port", "1", env=env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "lower --processes or --threads" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_waitress_refuses_several_processes(tmp_path):
    result = run_offramp(
        "serve", "--server", "waitress", "--processes", "2", env=offramp_env(tmp_path, OFFRAMP_MODE="test")
    )
    assert result.returncode != 0
    assert "waitress serves from one process" in result.stderr
