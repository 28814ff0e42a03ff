"""Reading TOML, YAML and JSON documents safely: bounded in size and nesting, with plausible values.

A document that is too large, nests too deep, is not UTF-8, holds a NUL character, a number too large
for a 64-bit integer, a number that is not finite, a date outside 1900-2199, or (YAML) an alias,
raises `InvalidFile` naming every such place; nothing downstream ever sees it, so a malformed file
gets a clear error instead of an overflow or a crash later on.

>>> load_toml('version = 100000000000000000000000', file="p.toml")
Traceback (most recent call last):
offramp.files.problems.InvalidFile: p.toml, version: is too large a number (more than 19 digits)
>>> load_json(b'{"a": [1, 2]}')
{'a': [1, 2]}
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from offramp.files.problems import InvalidFile, Problem, path_join

MAX_DOCUMENT_BYTES = 1 << 20  # protocols, mappings and studies are a few kilobytes
MAX_DEPTH = 32  # the deepest offramp document (an HSDS service) nests about ten levels
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
INT_LIMIT = 2**63 - 1  # what a database column and polars can hold

ERR_MISSING = "does not exist"
ERR_TOO_LARGE = "is larger than {size}"
ERR_NOT_UTF8 = "is not UTF-8 text"
ERR_NUL = "contains a NUL character (line {line})"
ERR_SYNTAX = "is not valid {format}: {error}"
ERR_DEEP = "nests deeper than {depth} levels"
ERR_NUL_VALUE = "contains a NUL character"
ERR_BIG_NUMBER = "is too large a number (more than 19 digits)"
ERR_NOT_FINITE = "is not a finite number"
ERR_DATE_RANGE = "is outside the dates offramp accepts ({earliest} to {latest})"
ERR_KEY = "has a key that is not text: {key!r}"
ERR_ALIAS = "repeats another part of the document by reference (a YAML alias); write it out instead"


def size_text(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n >> 10} KB"


def _problem(message: str, file: str, where: str = "") -> InvalidFile:
    return InvalidFile([Problem(message, file=file, where=where)])


Source = str | Path | bytes


def read_text(source: Source, *, file: str = "", max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """The text of a file (a path) or an upload (bytes), checked for size, UTF-8 and NUL characters.

    A `str` is taken as text already (a form's field) and only checked.
    """
    if isinstance(source, Path):
        file = file or source.name
        try:
            if source.stat().st_size > max_bytes:
                raise _problem(ERR_TOO_LARGE.format(size=size_text(max_bytes)), file)
            source = source.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise _problem(ERR_MISSING, file) from None
        except IsADirectoryError:
            raise _problem(ERR_NOT_UTF8, file) from None
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise _problem(ERR_TOO_LARGE.format(size=size_text(max_bytes)), file)
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _problem(ERR_NOT_UTF8, file) from None
    elif len(source) > max_bytes:  # characters: at least as many bytes
        raise _problem(ERR_TOO_LARGE.format(size=size_text(max_bytes)), file)
    nul = source.find("\x00")
    if nul >= 0:
        raise _problem(ERR_NUL.format(line=source.count("\n", 0, nul) + 1), file)
    return source


def _parse(
    parse: Callable[[str], Any],
    format: str,
    source: Source,
    *,
    file: str = "",
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    text = read_text(source, file=file, max_bytes=max_bytes)
    try:
        data = parse(text)
    except RecursionError:  # the parsers recurse per level: far too deep for any real document
        raise _problem(ERR_DEEP.format(depth=max_depth), file) from None
    except (ValueError, yaml.YAMLError) as exc:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise _problem(ERR_SYNTAX.format(format=format, error=" ".join(str(exc).split())), file) from None
    problems = value_problems(data, file=file, max_depth=max_depth, shared_ok=format != "YAML")
    if problems:
        raise InvalidFile(problems)
    return data


# Each takes `file` (the name messages use), `max_bytes` and `max_depth` as keywords.


def load_toml(source: Source, **bounds: Any) -> dict:
    """A TOML document as a dict; raises InvalidFile (see the module docstring)."""
    return _parse(tomllib.loads, "TOML", source, **bounds)


def load_yaml(source: Source, **bounds: Any) -> Any:
    """A YAML document (safe types only, no aliases); raises InvalidFile."""
    return _parse(yaml.safe_load, "YAML", source, **bounds)


def load_json(source: Source, **bounds: Any) -> Any:
    """A JSON document; NaN and Infinity are refused like any number that is not finite."""
    return _parse(json.loads, "JSON", source, **bounds)


def value_problems(data: Any, *, file: str = "", max_depth: int = MAX_DEPTH, shared_ok: bool = True) -> list:
    """Every implausible value in parsed data, by path. Iterative, so any depth is safe to walk."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= max_depth:
                problems.append(Problem(ERR_DEEP.format(depth=max_depth), file=file, where=path))
                continue
            if not shared_ok and id(value) in seen:
                problems.append(Problem(ERR_ALIAS, file=file, where=path))
                continue
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            children = []
            for key, item in items:
                if isinstance(value, dict) and not isinstance(key, str):
                    problems.append(Problem(ERR_KEY.format(key=key), file=file, where=path))
                elif isinstance(value, dict) and "\x00" in key:
                    problems.append(Problem(ERR_NUL_VALUE, file=file, where=path))
                else:
                    children.append((item, path_join(path, key), depth + 1))
            stack.extend(reversed(children))  # in document order, so the second use is the alias
        elif isinstance(value, str):
            if "\x00" in value:
                problems.append(Problem(ERR_NUL_VALUE, file=file, where=path))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if abs(value) > INT_LIMIT:
                problems.append(Problem(ERR_BIG_NUMBER, file=file, where=path))
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(Problem(ERR_NOT_FINITE, file=file, where=path))
        elif isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            if not EARLIEST <= day <= LATEST:
                message = ERR_DATE_RANGE.format(earliest=EARLIEST, latest=LATEST)
                problems.append(Problem(message, file=file, where=path))
    return problems
