"""Helpers for the operations tests: production settings and servers started as a user would start them."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.commands import copy_migrated_database, offramp_command, offramp_env, run_offramp

SECRET_KEY = "x9fG2xLq8Zr4TbV1nWm7sYc0pHd3Ju6EoAi5kR8wQ2zN4vB7mC1tY5uP0"


def field_key_file(folder: Path) -> Path:
    from offramp.access.fieldcrypt import new_key_entry

    path = folder / "field_keys.secret"
    path.write_text(new_key_entry() + "\n")
    return path


def production_env(data_dir: Path, secrets_dir: Path, **extra) -> dict:
    """A production site on SQLite in `data_dir`, its field keys kept in `secrets_dir`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    secrets_dir.mkdir(parents=True, exist_ok=True)
    return offramp_env(
        data_dir,
        OFFRAMP_MODE="production",
        OFFRAMP_SECRET_KEY=SECRET_KEY,
        OFFRAMP_ALLOWED_HOSTS="127.0.0.1,localhost",
        OFFRAMP_FIELD_KEYS_FILE=str(field_key_file(secrets_dir)),
        **extra,
    )


def free_port(candidates=None) -> int:
    """A free loopback port: the first free one of `candidates`, else any."""
    for port in candidates or [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"none of the ports {candidates} is free")


def wait_for_port(port: int, *, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode} before listening on {port}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.2, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what} did not happen within {timeout} s")


def migrate(env: dict) -> None:
    """Give the site of `env` a migrated database: on SQLite a copy of one migrated once per test process
    (tests/commands.py), on PostgreSQL `offramp migrate` itself."""
    if env.get("OFFRAMP_DATABASE_URL"):
        result = run_offramp("migrate", "-v0", env=env)
        assert result.returncode == 0, result.stderr
    else:
        copy_migrated_database(env["OFFRAMP_DATA_DIR"])


@contextmanager
def offramp_process(*args: str, env: dict, port: int | None = None, log: Path | None = None):
    """Run `offramp ARGS` in a child process (waiting for `port` to listen), stopped at the end."""
    out = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(offramp_command(*args), env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        if port is not None:
            wait_for_port(port, process=process, timeout=180)  # serve collects static files first
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log:
            out.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test looks at the redirect itself


_opener = urllib.request.build_opener(_NoRedirects, urllib.request.ProxyHandler({}))


def http_get(url: str, **headers) -> tuple[int, dict, bytes]:
    """GET on loopback, redirects not followed: (status, headers, body)."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
