"""The `offramp` command: demo, createadmin and serve, run as a user would run them."""

import socket
import subprocess
import time
import urllib.request

import pytest

from tests.commands import offramp_command, offramp_env, run_offramp


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


def test_it_refuses_the_demo_outside_demo_mode(tmp_path):
    result = _offramp("demo", "--no-serve", env=_env(tmp_path, OFFRAMP_MODE="test"))
    assert result.returncode != 0
    assert "only in demo mode" in result.stderr


def test_it_creates_an_administrator_for_a_new_program(tmp_path):
    env = _env(tmp_path, OFFRAMP_MODE="test")
    assert _offramp("migrate", "-v0", env=env).returncode == 0
    secret = tmp_path / "pw"
    secret.write_text("a long enough passphrase\n")
    args = ("createadmin", "--username", "root1", "--email", "r@example.org", "--program", "north")
    result = _offramp(*args, "--program-name", "North County LEAD", "--password-file", str(secret), env=env)
    assert result.returncode == 0, result.stderr
    assert "Created system administrator root1 for program north" in result.stdout
    again = _offramp(*args, "--password-file", str(secret), env=env)
    assert again.returncode != 0
    assert "That username is already in use." in again.stderr


def test_it_refuses_a_weak_administrator_password(tmp_path):
    env = _env(tmp_path, OFFRAMP_MODE="test")
    assert _offramp("migrate", "-v0", env=env).returncode == 0
    secret = tmp_path / "pw"
    secret.write_text("password\n")
    result = _offramp("createadmin", "--username", "r", "--email", "r@example.org", "--program", "p",
                      "--password-file", str(secret), env=env)  # fmt: skip
    assert result.returncode != 0
    assert "too common" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    env = _env(tmp_path, OFFRAMP_MODE="test")
    assert _offramp("migrate", "-v0", env=env).returncode == 0
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        offramp_command("serve", "--port", str(port)), env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_it_serves_the_app_over_http(server):
    with urllib.request.urlopen(server + "/healthz", timeout=5) as response:  # noqa: S310
        assert response.read() == b"ok"
    with urllib.request.urlopen(server + "/accounts/login/", timeout=5) as response:  # noqa: S310
        page = response.read().decode()
        assert "restricted system" in page
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
