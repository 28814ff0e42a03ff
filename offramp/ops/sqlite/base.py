"""Django's SQLite backend, with the database file created private.

SQLite creates the write-ahead log and shared-memory files with the database
file's own mode, so creating the database 0600 keeps all three away from other
local accounts. A missing data folder is a clear error naming the setting.
Each new connection checks the modes again, by path only (see database_file_prepare).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base

from offramp.privatefiles import private_open

COMPANIONS = ("-wal", "-shm")


def database_file_prepare(name: str) -> None:
    """Create the database file 0600 if missing, and tighten it and its companions if they are wider."""
    path = Path(name)
    if not path.parent.is_dir():
        raise ImproperlyConfigured(
            f"The data folder {path.parent} does not exist: create it, or set OFFRAMP_DATA_DIR to an "
            "existing folder (or OFFRAMP_DATABASE_URL to a PostgreSQL database)"
        )
    # Never open and close a descriptor on a database file that exists: closing any descriptor of a
    # file drops every POSIX lock this process holds on it, so another thread's SQLite locks would go
    # and a second process could write under them (a corrupt database). chmod works on the path.
    if not path.exists():
        private_open(path)
    elif path.stat().st_mode & 0o077:
        path.chmod(0o600)
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        # SQLite removes its companions when another process's last connection closes, so one may go
        # between any two calls here: gone is fine, a check that raises would fail the request.
        try:
            if companion.stat().st_mode & 0o077:
                companion.chmod(0o600)
        except FileNotFoundError:
            continue


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = str(conn_params["database"])
        if name != ":memory:" and not name.startswith("file:"):  # the test suite's in-memory database
            database_file_prepare(name)
        return super().get_new_connection(conn_params)
