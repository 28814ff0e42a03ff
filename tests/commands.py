"""Running the `offramp` command in a child process, as a user would, with a clean environment."""

import os
import subprocess
import sys


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
