"""Checking a loaded document against typed dataclasses with pydantic, every mistake as a Problem.

Declare the document as frozen dataclasses with the strict types below (a TOML string never becomes
a number, nor `true` a 1), add `rule(...)` checks for what a type cannot say, and call `validated`::

    @closed
    @dataclass(frozen=True, kw_only=True)
    class Offence:
        statute: Text
        nibrs: Annotated[Text, rule(lambda c: None if c in NIBRS else f"unknown NIBRS code {c!r}")]

    @closed
    @dataclass(frozen=True, kw_only=True)
    class Protocol:
        version: Whole
        offences: tuple[Offence, ...]

    validated(Protocol, load_toml(text), file="protocol.toml")
    # InvalidFile: protocol.toml, colour: unknown field
    #              protocol.toml, offences[0].nibrs: unknown NIBRS code '99Z'

pydantic rather than msgspec: msgspec stops at the first error, and offramp reports every mistake
in a file at once, each at its path.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    ConfigDict,
    Strict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    with_config,
)
from pydantic_core import PydanticCustomError

from offramp.files.documents import EARLIEST, ERR_DATE_RANGE, LATEST
from offramp.files.problems import InvalidFile, Problem, path_join

T = TypeVar("T")

Text = Annotated[str, Strict()]
Whole = Annotated[int, Strict()]  # a bool is not a whole number
Number = Annotated[float, Strict()]  # a whole number is a number too
Flag = Annotated[bool, Strict()]

ERR_REQUIRED = "required"
ERR_UNKNOWN_FIELD = "unknown field"
ERR_TYPE = "expected {expected}, got {got}"
_OURS = "offramp"  # the error type of a rule's message, passed through as written
_LENIENT = "rules off"  # a context in which rules pass everything, to run the cross checks anyway
_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "true or false",
    "float_type": "a number",
    "date_type": "a date",
    "tuple_type": "a list",
    "list_type": "a list",
    "dataclass_type": "a table",
    "dict_type": "a table",
}
_KINDS = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "table"}

# A table of a document: a key the dataclass does not declare is a mistake, not ignored.
closed = with_config(ConfigDict(extra="forbid"))


def kind(value: object) -> str:
    """How a document would name the type of a value: string, integer, table, ..."""
    if value is None:
        return "nothing"
    return _KINDS.get(type(value), type(value).__name__)


def _plausible(day: dt.date) -> str | None:
    return None if EARLIEST <= day <= LATEST else ERR_DATE_RANGE.format(earliest=EARLIEST, latest=LATEST)


def rule(check: Callable[[Any], str | None]) -> AfterValidator:
    """A check for an Annotated field: `check(value)` returns the problem's message, or None if good."""

    def validate(value: Any, info: ValidationInfo) -> Any:
        message = check(value)
        if message is not None and not (info.context or {}).get(_LENIENT):
            raise PydanticCustomError(_OURS, message)
        return value

    return AfterValidator(validate)


Day = Annotated[dt.date, Strict(), rule(_plausible)]  # a date and time is not a date


@functools.cache
def _adapter(tp: Any) -> TypeAdapter:
    return TypeAdapter(tp)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def validated(
    tp: type[T],
    data: Any,
    *,
    file: str = "",
    root: str = "",
    nulls_missing: bool = True,
    cross: Callable[[T], list[tuple[str, str]]] | None = None,
) -> T:
    """`data` as an instance of `tp`, or InvalidFile with every mistake at its path.

    `root` names the whole document in a mistake about it ("protocol: expected a table, got list").
    With `nulls_missing`, a key whose value is null (YAML's `~`) counts as left out, as in TOML.
    `cross(instance)` returns the (path, message) of each rule between values; it runs even when
    single values are wrong (their rules set aside), so the file's author sees both kinds at once.
    """
    adapter = _adapter(tp)
    data = _without_nulls(data) if nulls_missing else data
    try:
        instance = adapter.validate_python(data)
    except ValidationError as exc:
        problems = problems_of(exc, file=file, root=root)
        if cross is not None:
            try:
                lenient = adapter.validate_python(data, context={_LENIENT: True})
            except ValidationError:
                lenient = None  # the shape itself is wrong: rules between values cannot be read
            if lenient is not None:
                problems += [Problem(m, file=file, where=w) for w, m in cross(lenient)]
        raise InvalidFile(problems) from None
    problems = [Problem(m, file=file, where=w) for w, m in cross(instance)] if cross else []
    if problems:
        raise InvalidFile(problems)
    return instance


def problems_of(exc: ValidationError, *, file: str = "", root: str = "") -> list[Problem]:
    """pydantic's errors as Problems, in offramp's words."""
    problems = []
    for error in exc.errors():
        where = ""
        for key in error["loc"]:
            where = path_join(where, key)
        kind_of = error["type"]
        if kind_of == _OURS:
            message = error["msg"]
        elif kind_of in ("missing", "missing_keyword_argument"):
            message = ERR_REQUIRED
        elif kind_of in ("unexpected_keyword_argument", "extra_forbidden"):
            message = ERR_UNKNOWN_FIELD
        elif kind_of in _EXPECTED:
            message = ERR_TYPE.format(expected=_EXPECTED[kind_of], got=kind(error["input"]))
        else:
            message = error["msg"][:1].lower() + error["msg"][1:]
        problems.append(Problem(message, file=file, where=where or root))
    return problems
