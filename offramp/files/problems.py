"""What is wrong with a file, as data: one `Problem` per mistake, all raised at once as `InvalidFile`.

Every reader in offramp (exports, mappings, protocols, the service directory) reports this way, so a
person fixing a file sees every mistake in one pass, each named by file, line or path, and field:

>>> str(Problem("date_of_birth is after the incident date", file="a.csv", where=5, field="date_of_birth"))
'a.csv, line 5, date_of_birth: date_of_birth is after the incident date'
>>> str(Problem("unknown NIBRS code '99Z'", where="offences[2]", field="nibrs"))
"offences[2].nibrs: unknown NIBRS code '99Z'"
>>> raise InvalidFile([Problem("is required", file="p.csv", where=3, field="arm")])
Traceback (most recent call last):
offramp.files.problems.InvalidFile: p.csv, line 3, arm: is required
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_SHOWN = 50  # enough to fix a file in one pass without flooding a page
ERR_MORE = "... and {more} more problems."
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def path_join(path: str, key: str | int) -> str:
    """A JSON/TOML path one step down: `offences[2]`, `columns.statute`, `$['services.csv']`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _NAME.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]" if path else repr(key)


@dataclass(frozen=True)
class Problem:
    """One mistake: the file, where in it (a line number, or a path such as `offences[2]`), the field.

    `column` is the file's own name for the field, when it has one (a mapped export's column).
    A `warning` is reported but does not stop the file loading.
    """

    message: str
    file: str = ""
    where: int | str = ""  # int: a line (a CSV's header is line 1); str: a path in a document
    field: str = ""
    column: str = ""
    warning: bool = False

    @property
    def place(self) -> str:
        if isinstance(self.where, int):
            field = self.field
            if self.column and self.column != self.field:
                field = f"{field} (column {self.column!r})"
            parts = [self.file, f"line {self.where}", field]
        else:
            field = path_join(self.where, self.field) if self.field else self.where
            if self.column and self.column != self.field:
                field = f"{field} (column {self.column!r})"
            parts = [self.file, field]
        return ", ".join(part for part in parts if part)

    def sort_key(self) -> tuple:
        line = self.where if isinstance(self.where, int) else 0
        return (self.file, line, str(self.where), self.field, self.message)

    def __str__(self) -> str:
        place = self.place
        return f"{place}: {self.message}" if place else self.message


class InvalidFile(ValueError):
    """A file or document that cannot be used, with every problem found; nothing was loaded from it.

    `problems` holds at most MAX_SHOWN of them, `total` counts all; `messages` is what to show.
    """

    def __init__(self, problems: Iterable[Problem], *, total: int | None = None):
        found = sorted(problems, key=Problem.sort_key)
        self.total = max(total or 0, len(found))
        self.problems = found[:MAX_SHOWN]
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        shown = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            shown.append(ERR_MORE.format(more=self.total - len(self.problems)))
        return shown


def refuse(problems: list[Problem], *, total: int | None = None) -> None:
    """Raise InvalidFile when any of the problems is an error (warnings alone let the file through)."""
    if any(not p.warning for p in problems):
        raise InvalidFile([p for p in problems if not p.warning], total=total)
