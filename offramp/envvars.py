"""Strict readers for OFFRAMP_* environment variables.

A setting that is present but malformed is an error at start-up, never a silent
default: a typo in `OFFRAMP_DEBUG=ture` must not leave a production site in an
unexpected state. Every secret may come from `NAME_FILE` instead of `NAME`, so
that container and systemd secret stores can be used without putting secrets in
the environment.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "OFFRAMP_"


def _raw(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    return None if value is None or value == "" else value


def envstr(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def envbool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value == "true":
        return True
    if value == "false":
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name} must be 'true' or 'false', not {value!r}")


def envint(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def envchoice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def envsecret(name: str) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (not both)."""
    direct = _raw(name)
    path = _raw(name + "_FILE")
    if direct is not None and path is not None:
        raise ImproperlyConfigured(f"Set {PREFIX}{name} or {PREFIX}{name}_FILE, not both")
    if path is None:
        return direct
    try:
        secret = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{PREFIX}{name}_FILE: cannot read {path}: {exc.strerror}") from None
    if not secret:
        raise ImproperlyConfigured(f"{PREFIX}{name}_FILE: {path} is empty")
    return secret


_help_only = False


def help_only_set() -> None:
    """The `offramp` command is only printing help: settings load without production's requirements."""
    global _help_only
    _help_only = True


def help_only() -> bool:
    return _help_only
