"""Running the `offramp` command in a child process, as a user would, with a clean environment."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE_FILE = "offramp.sqlite3"


def offramp_env(data_dir, **extra) -> dict:
    """This environment without offramp's or the test run's own settings, plus `extra`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("OFFRAMP_") and name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update({"OFFRAMP_DATA_DIR": str(data_dir), **extra})
    return env


def offramp_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "offramp.cli", *args]


def run_offramp(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(offramp_command(*args), env=env, capture_output=True, text=True, timeout=180)  # noqa: S603


ROOT = Path(__file__).resolve().parents[1]


def _migrations_key() -> str:
    """What a migrated database depends on: Django's version and every migration file's bytes."""
    import django

    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted((ROOT / "offramp").glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def migrated_template() -> Path:
    """A SQLite database that `offramp migrate` made from nothing, kept for every test process.

    Migrating costs about twenty seconds of CPU. The template is kept in the temporary folder under
    a name made of the migrations it ran, so the test workers of a run, and the next run, share one
    until a migration changes; a worker that finds none migrates a folder of its own and renames it
    into place, the first rename winning. The tests that start a site on a migrated database copy it
    (tests/ops/test_private_files.py still migrates a fresh folder, and tests/test_cli.py's demo test
    prepares one from nothing).
    """
    final = Path(tempfile.gettempdir()) / f"offramp-migrated-{_migrations_key()}"
    if not (final / DATABASE_FILE).exists():
        folder = Path(tempfile.mkdtemp(prefix="offramp-migrating-"))
        result = run_offramp("migrate", "-v0", env=offramp_env(folder, OFFRAMP_MODE="test"))
        assert result.returncode == 0, result.stderr
        assert not (folder / f"{DATABASE_FILE}-wal").exists(), "the migrated database was left mid-write"
        try:
            folder.rename(final)
        except OSError:  # another worker's template landed first: the same migrations, use it
            shutil.rmtree(folder, ignore_errors=True)
    return final / DATABASE_FILE


def copy_migrated_database(data_dir) -> None:
    """Give `data_dir` a migrated SQLite database, a private copy of `migrated_template()`."""
    target = Path(data_dir) / DATABASE_FILE
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as out, migrated_template().open("rb") as source:
        shutil.copyfileobj(source, out)
