"""The PostgreSQL connection budget of `offramp serve`: what the server processes may hold at once,
against what the database server accepts.

Each server thread keeps its own persistent connection (CONN_MAX_AGE), so `processes × threads`
connections are open when every thread is busy; the worker holds two (its loop and its heartbeat).
PostgreSQL keeps `superuser_reserved_connections` of its `max_connections` for administrators.
"""

from dataclasses import dataclass

from django.db import connections

WORKER_CONNECTIONS = 2


@dataclass(frozen=True)
class Budget:
    needed: int
    available: int | None  # None: not PostgreSQL, no limit to check

    @property
    def fits(self) -> bool:
        return self.available is None or self.needed <= self.available


def connections_needed(*, processes: int, threads: int, workers: int = 1) -> int:
    return processes * threads + WORKER_CONNECTIONS * workers


def connections_available(alias: str = "default") -> int | None:
    """max_connections less the superuser reserve, asked of the server; None on SQLite."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
        )
        (available,) = cursor.fetchone()
    return available


def connection_budget(*, processes: int, threads: int, workers: int = 1, alias: str = "default") -> Budget:
    return Budget(
        connections_needed(processes=processes, threads=threads, workers=workers),
        connections_available(alias),
    )


def budget_problem(budget: Budget, *, processes: int, threads: int) -> str | None:
    """One line saying what to lower, or None when the budget fits."""
    if budget.fits:
        return None
    return (
        f"{processes} processes × {threads} threads plus the worker need {budget.needed} database "
        f"connections, but PostgreSQL accepts {budget.available} (max_connections less its superuser "
        "reserve): lower --processes or --threads, or raise max_connections"
    )
