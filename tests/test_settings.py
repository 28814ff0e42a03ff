"""Settings come from OFFRAMP_* variables through strict readers; production refuses insecure values."""

import os
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from offramp import envvars
from tests.commands import offramp_env, run_offramp


@pytest.fixture
def env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("OFFRAMP_"):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("false", False)])
def test_it_reads_booleans(env, raw, value):
    env.setenv("OFFRAMP_DEBUG", raw)
    assert envvars.envbool("DEBUG", not value) is value


@pytest.mark.parametrize("raw", ["True", "1", "yes", "ture", "on"])
def test_it_refuses_anything_but_true_or_false(env, raw):
    env.setenv("OFFRAMP_DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="OFFRAMP_DEBUG must be 'true' or 'false'"):
        envvars.envbool("DEBUG", False)


def test_it_refuses_a_malformed_number(env):
    env.setenv("OFFRAMP_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envvars.envint("HSTS_SECONDS", 0)


def test_it_reads_a_secret_from_a_file(env, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    env.setenv("OFFRAMP_SECRET_KEY_FILE", str(secret))
    assert envvars.envsecret("SECRET_KEY") == "s3cret"


def test_it_fails_loudly_on_a_missing_secret_file(env, tmp_path):
    env.setenv("OFFRAMP_SECRET_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        envvars.envsecret("SECRET_KEY")


def test_it_refuses_a_secret_given_twice(env, tmp_path):
    (tmp_path / "key").write_text("a")
    env.setenv("OFFRAMP_SECRET_KEY", "b")
    env.setenv("OFFRAMP_SECRET_KEY_FILE", str(tmp_path / "key"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        envvars.envsecret("SECRET_KEY")


SETTINGS_FILE = str(Path(envvars.__file__).with_name("settings.py"))
PRODUCTION = {
    "OFFRAMP_MODE": "production",
    "OFFRAMP_SECRET_KEY": "k" * 20 + "9fG2xLq8Zr4TbV1nWm7sYc0pHd3Ju6EoAi5",
    "OFFRAMP_ALLOWED_HOSTS": "lead.example.org",
}


def _offramp(args, env_vars, tmp_path):
    return run_offramp(*args, env=offramp_env(tmp_path, **env_vars))


def _field_key_file(tmp_path):
    from offramp.access.fieldcrypt import new_key_entry

    path = tmp_path / "field_keys"
    path.write_text(new_key_entry() + "\n")
    return str(path)


def test_it_passes_the_deployment_checks_in_production_mode(tmp_path):
    env_vars = {**PRODUCTION, "OFFRAMP_FIELD_KEYS_FILE": _field_key_file(tmp_path)}
    result = _offramp(["check", "--deploy", "--fail-level", "WARNING"], env_vars, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deployment_checks_without_field_keys(tmp_path):
    result = _offramp(["check", "--deploy"], PRODUCTION, tmp_path)
    assert result.returncode != 0
    assert "offramp.E101" in result.stderr and "OFFRAMP_FIELD_KEYS" in result.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"OFFRAMP_SECRET_KEY": ""}, "OFFRAMP_SECRET_KEY"),
        ({"OFFRAMP_SECRET_KEY": "short"}, "at least 50"),
        ({"OFFRAMP_ALLOWED_HOSTS": ""}, "OFFRAMP_ALLOWED_HOSTS"),
        ({"OFFRAMP_ALLOWED_HOSTS": "*"}, "OFFRAMP_ALLOWED_HOSTS"),
        ({"OFFRAMP_DEBUG": "true"}, "OFFRAMP_DEBUG=true is refused"),
        ({"OFFRAMP_HTTPS": "false"}, "OFFRAMP_HTTPS=false is refused"),
        ({"OFFRAMP_DEBUG": "yes"}, "must be 'true' or 'false'"),
    ],
)
def test_it_refuses_to_start_production_with_insecure_settings(env, tmp_path, override, message):
    # The settings module run afresh in this process, as a starting `offramp` loads it (the
    # deployment checks above, and tests/ops/test_help_without_configuration.py, start real processes).
    for name, value in {**PRODUCTION, "OFFRAMP_DATA_DIR": str(tmp_path), **override}.items():
        env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        runpy.run_path(SETTINGS_FILE)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"OFFRAMP_MODE": "prod"}, "OFFRAMP_MODE"),
        ({"OFFRAMP_SECRET_KEY": ""}, "OFFRAMP_SECRET_KEY"),
        ({"OFFRAMP_ALLOWED_HOSTS": ""}, "OFFRAMP_ALLOWED_HOSTS"),
        ({"OFFRAMP_DEBUG": "true"}, "OFFRAMP_DEBUG"),
        ({"OFFRAMP_DEBUG": "yes"}, "OFFRAMP_DEBUG"),
        ({"OFFRAMP_HTTPS": "false"}, "OFFRAMP_HTTPS"),
        ({"OFFRAMP_HSTS_SECONDS": "a year"}, "OFFRAMP_HSTS_SECONDS"),
        ({"OFFRAMP_TRUSTED_PROXY_COUNT": "1"}, "OFFRAMP_BEHIND_PROXY"),
        ({"OFFRAMP_WORKER_HEARTBEAT_SECONDS": "100"}, "OFFRAMP_WORKER_TIMEOUT_SECONDS"),
        ({"OFFRAMP_SECRET_KEY_FILE": "/nowhere/key"}, "OFFRAMP_SECRET_KEY"),
        ({"OFFRAMP_DATA_DIR": "/nowhere/offramp-data"}, "OFFRAMP_DATA_DIR"),
    ],
)
def test_it_names_the_variable_to_set_in_one_line_without_a_traceback(tmp_path, override, variable):
    env_vars = {**PRODUCTION, "OFFRAMP_FIELD_KEYS_FILE": _field_key_file(tmp_path), **override}
    env = offramp_env(tmp_path, **env_vars)
    env.update(override)  # OFFRAMP_DATA_DIR among them
    result = run_offramp("migrate", env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], result.stderr
