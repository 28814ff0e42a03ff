"""The `offramp` command: demo, createadmin and serve, each run once as a user would run it, in a child
process; their refusals are checked in-process with `call_command`."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.commands import copy_migrated_database, offramp_env, run_offramp
from tests.ops.servers import free_port, offramp_process


def _env(tmp_path, **extra):
    return offramp_env(tmp_path, **extra)


def _offramp(*args, env):
    return run_offramp(*args, env=env)


def test_it_prepares_the_demo_and_prints_a_login_per_role(tmp_path):
    result = _offramp("demo", "--no-serve", "--people", "40", env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    for username in (
        "officer",
        "casemanager",
        "supervisor",
        "projectmanager",
        "prosecutor",
        "defender",
        "evaluator",
        "admin",
    ):
        assert f" {username}\n" in result.stdout
    password = (tmp_path / "demo_password").read_text()
    assert f"password: {password}" in result.stdout
    assert (tmp_path / "offramp.sqlite3").exists()
    again = _offramp("demo", "--no-serve", env=_env(tmp_path))  # reuses the same database
    assert again.returncode == 0, again.stderr
    assert "Creating a synthetic program" not in again.stdout


def test_it_refuses_the_demo_outside_demo_mode(db):
    # In-process; tests/ops/test_help_without_configuration.py runs the same refusal as a child process.
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("demo", "--no-serve")


ADMIN = ("--username", "root1", "--email", "r@example.org", "--program", "north")


def _password_file(tmp_path, password: str) -> str:
    secret = tmp_path / "pw"
    secret.write_text(password + "\n")
    return str(secret)


def test_it_creates_an_administrator_for_a_new_program(tmp_path):
    """The one child-process run of createadmin, on a migrated database (tests/commands.py)."""
    env = _env(tmp_path, OFFRAMP_MODE="test")
    copy_migrated_database(tmp_path)
    secret = _password_file(tmp_path, "a long enough passphrase")
    result = _offramp(
        "createadmin", *ADMIN, "--program-name", "North County LEAD", "--password-file", secret, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Created system administrator root1 for program north" in result.stdout


def test_it_refuses_a_username_already_in_use(db, tmp_path):
    secret = _password_file(tmp_path, "a long enough passphrase")
    out = io.StringIO()
    call_command(
        "createadmin", *ADMIN, "--program-name", "North County LEAD", "--password-file", secret, stdout=out
    )
    assert "Created system administrator root1 for program north" in out.getvalue()
    with pytest.raises(CommandError, match="That username is already in use."):
        call_command("createadmin", *ADMIN, "--password-file", secret)


def test_it_refuses_a_weak_administrator_password(db, tmp_path):
    secret = _password_file(tmp_path, "password")
    with pytest.raises(CommandError, match="too common"):
        call_command(
            "createadmin",
            "--username",
            "r",
            "--email",
            "r@example.org",
            "--program",
            "p",
            "--password-file",
            secret,
        )
    assert not get_user_model().objects.filter(username="r").exists()


@pytest.fixture
def server(tmp_path):
    env = _env(tmp_path, OFFRAMP_MODE="test")
    copy_migrated_database(tmp_path)
    port = free_port()
    # serve collects static files before it listens, which takes a while on a busy machine:
    # offramp_process waits for the port (or the server's exit), not for a fixed time.
    with offramp_process("serve", "--port", str(port), env=env, port=port):
        yield f"http://127.0.0.1:{port}"


def test_it_serves_the_app_over_http(server):
    # No worker runs beside this server, so the health URL says so (tests/ops/test_healthz.py).
    with pytest.raises(urllib.error.HTTPError) as unhealthy:
        urllib.request.urlopen(server + "/healthz", timeout=30)  # noqa: S310
    assert unhealthy.value.code == 503
    assert json.loads(unhealthy.value.read())["worker"].startswith("never seen")
    with urllib.request.urlopen(server + "/accounts/login/", timeout=30) as response:  # noqa: S310
        page = response.read().decode()
        assert "restricted system" in page
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
