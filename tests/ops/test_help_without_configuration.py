"""`offramp help` and `offramp COMMAND --help` work with nothing configured (production mode, no data
folder); every refusal for lack of configuration is one line naming the variable to set."""

import os
import subprocess
import sys

import pytest

from offramp.cli import help_requested

COMMANDS = [
    "serve",
    "worker",
    "backup",
    "restore",
    "demo",
    "migrate",
    "createadmin",
    "seed",
    "screen",
    "council-report",
    "retention",
]


def _bare(*args, cwd, **extra):
    """`offramp ARGS` with no OFFRAMP_* variable at all, from an empty folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OFFRAMP_", "DJANGO_"))}
    env.update(extra)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "offramp.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_lists_every_offramp_command_with_no_configuration(tmp_path):
    result = _bare("help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert f"    {command}\n" in result.stdout
    assert "settings are not properly configured" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == [], "help creates no data folder"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_prints_its_help_with_no_configuration(tmp_path, command):
    result = _bare(command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: offramp {command}")
    assert list(tmp_path.iterdir()) == []


def test_help_for_a_subcommand_and_through_help_works_too(tmp_path):
    assert _bare("audit", "verify", "--help", cwd=tmp_path).stdout.startswith("usage: offramp audit verify")
    assert _bare("help", "backup", cwd=tmp_path).stdout.startswith("usage: offramp backup")


@pytest.mark.parametrize(
    ("args", "extra", "variable"),
    [
        (["serve"], {}, "OFFRAMP_SECRET_KEY"),
        (["migrate"], {"OFFRAMP_SECRET_KEY": "k" * 60}, "OFFRAMP_ALLOWED_HOSTS"),
        (
            ["migrate"],
            {"OFFRAMP_SECRET_KEY": "k" * 60, "OFFRAMP_ALLOWED_HOSTS": "lead.example.org"},
            "OFFRAMP_DATA_DIR",
        ),
        (["demo", "--no-serve"], {"OFFRAMP_MODE": "test"}, "OFFRAMP_MODE"),
        (["demo-code", "officer"], {"OFFRAMP_MODE": "test"}, "OFFRAMP_MODE"),
        (["check"], {"OFFRAMP_MODE": "test", "OFFRAMP_TRUSTED_PROXY_COUNT": "1"}, "OFFRAMP_BEHIND_PROXY"),
    ],
)
def test_a_refusal_is_one_line_naming_the_variable(tmp_path, args, extra, variable):
    result = _bare(*args, cwd=tmp_path, **extra)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], True),
        (["help"], True),
        (["--help"], True),
        (["serve", "--help"], True),
        (["audit", "verify", "-h"], True),
        (["serve"], False),
        (["shell", "-c", "print(1)", "--", "--help"], False),
        (["screen", "help"], False),
    ],
)
def test_it_knows_a_command_line_that_only_prints_help(argv, expected):
    assert help_requested(argv) is expected
