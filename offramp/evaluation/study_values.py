"""Typed values read out of a parsed TOML document, recording problems instead of raising.

Every problem is kept as (field.path, message), so a study file shows all of them at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

ERR_REQUIRED = "is required"
ERR_UNKNOWN_KEY = "unknown key"
ERR_TYPE = "must be {expected}, got {got!r}"
ERR_CHOICE = "must be one of {choices}, got {got!r}"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Reader:
    """Reads typed values out of nested dicts and records problems instead of raising."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def table(self, parent: dict[str, Any], key: str, path: str, *, required: bool = False) -> dict[str, Any]:
        value = parent.get(key)
        if value is None:
            if required:
                self.error(path, ERR_REQUIRED)
            return {}
        if not isinstance(value, dict):
            self.error(path, ERR_TYPE.format(expected="a table", got=value))
            return {}
        return value

    def known(self, table: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.error(f"{path}.{key}" if path else key, ERR_UNKNOWN_KEY + extra)

    def get(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        kind: type | tuple[type, ...],
        default: Any = None,
        *,
        required: bool = False,
        expected: str = "",
    ) -> Any:
        full = f"{path}.{key}" if path else key
        if key not in table:
            if required:
                self.error(full, ERR_REQUIRED)
            return default
        value = table[key]
        # bool is an int in Python; a count given as `true` is a mistake, not 1.
        if (
            isinstance(value, bool)
            and kind is not bool
            and bool not in (kind if isinstance(kind, tuple) else ())
        ):
            self.error(full, ERR_TYPE.format(expected=expected or kind_name(kind), got=value))
            return default
        if not isinstance(value, kind):
            self.error(full, ERR_TYPE.format(expected=expected or kind_name(kind), got=value))
            return default
        return value

    def choice(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        choices: tuple[str, ...],
        default: str | None = None,
        *,
        required: bool = False,
    ) -> str | None:
        value = self.get(table, key, path, str, default, required=required)
        if value is not None and value not in choices:
            self.error(f"{path}.{key}", ERR_CHOICE.format(choices=", ".join(choices), got=value))
            return default
        return value  # type: ignore[no-any-return]

    def names(self, table: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = self.get(table, key, path, list, [], expected="a list of names")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not NAME.match(item):
                self.error(f"{path}.{key}[{i}]", ERR_TYPE.format(expected="a lowercase name", got=item))
            else:
                out.append(item)
        return tuple(out)


def kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict[str, Any]: "a table",
        dt.date: "a date (YYYY-MM-DD)",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)
