"""TOML, YAML and JSON load safely: size, depth, numbers, dates, NUL characters and aliases are bounded."""

import datetime as dt
import json

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from offramp.files.documents import (
    INT_LIMIT,
    MAX_DEPTH,
    load_json,
    load_toml,
    load_yaml,
    read_text,
    value_problems,
)
from offramp.files.problems import InvalidFile


def refused(load, text, **kwargs) -> list[str]:
    with pytest.raises(InvalidFile) as raised:
        load(text, **kwargs)
    return raised.value.messages


@pytest.mark.parametrize(
    ("load", "text"),
    [
        (load_toml, "a = " + "[" * 5000 + "]" * 5000),
        (load_toml, "a = " + "{b = " * 2000 + "1" + "}" * 2000),
        (load_json, "[" * 100_000 + "]" * 100_000),
        (load_yaml, "[" * 5000 + "]" * 5000),
        (load_yaml, "".join(f"{' ' * i}k:\n" for i in range(800)) + " " * 800 + "v"),
    ],
)
def test_it_refuses_a_deeply_nested_document_in_one_line(load, text):
    (message,) = refused(load, text, file="deep")
    assert message.startswith("deep") and message.endswith(f": nests deeper than {MAX_DEPTH} levels")


def test_it_names_where_a_document_nests_too_deep():
    doc = {"a": [[[[{"b": 1}]]]]}
    assert refused(load_json, json.dumps(doc), max_depth=4) == ["a[0][0][0]: nests deeper than 4 levels"]
    assert load_json(json.dumps(doc), max_depth=6) == doc


BIG = "is too large a number (more than 19 digits)"
OUTSIDE = "is outside the dates offramp accepts (1900-01-01 to 2199-12-31)"
ALIAS = "repeats another part of the document by reference (a YAML alias); write it out instead"


@pytest.mark.parametrize(
    ("load", "text", "message"),
    [
        (
            load_toml,
            "version = 100000000000000000000000",
            f"version: {BIG}",
        ),
        (
            load_json,
            '{"months": -99999999999999999999}',
            f"months: {BIG}",
        ),
        (load_yaml, "n: 1" + "0" * 30, f"n: {BIG}"),
        (load_toml, "grams = nan", "grams: is not a finite number"),
        (load_toml, "grams = inf", "grams: is not a finite number"),
        (load_json, '{"grams": [1, NaN]}', "grams[1]: is not a finite number"),
        (load_json, '{"grams": 1e400}', "grams: is not a finite number"),
        (
            load_toml,
            "expires = 9999-12-31",
            f"expires: {OUTSIDE}",
        ),
        (
            load_toml,
            "t = 1850-01-01T00:00:00",
            f"t: {OUTSIDE}",
        ),
        (load_yaml, "d: 9999-12-31", f"d: {OUTSIDE}"),
        (load_json, '{"note": "a\\u0000b"}', "note: contains a NUL character"),
        (load_json, '{"a\\u0000": 1}', "contains a NUL character"),
        (load_yaml, "1: one", "has a key that is not text: 1"),
        (
            load_yaml,
            "a: &x [1, 2]\nb: *x",
            f"b: {ALIAS}",
        ),
    ],
)
def test_it_refuses_implausible_values_naming_their_path(load, text, message):
    assert refused(load, text) == [message]


def test_it_keeps_plausible_values():
    data = load_toml("version = 9223372036854775807\nfrom = 2024-07-01\ngrams = 3.5\nok = true")
    assert data == {"version": INT_LIMIT, "from": dt.date(2024, 7, 1), "grams": 3.5, "ok": True}


def test_it_reports_every_implausible_value_at_once():
    assert len(refused(load_json, '{"a": NaN, "b": [1e999, 99999999999999999999], "c": "\\u0000"}')) == 4


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (b"a = 1\n\x00b = 2", "m.toml: contains a NUL character (line 2)"),
        (b"a = '\xff'", "m.toml: is not UTF-8 text"),
        (b"a = 1\n" * 200_000, "m.toml: is larger than 1 MB"),
    ],
)
def test_it_refuses_a_file_that_is_not_clean_text(source, message):
    assert refused(load_toml, source, file="m.toml") == [message]


def test_it_reads_a_path_and_names_a_missing_one(tmp_path):
    (tmp_path / "m.toml").write_bytes("\ufeffa = 'é'".encode())
    assert load_toml(tmp_path / "m.toml") == {"a": "é"}  # a byte-order mark is not content
    with pytest.raises(InvalidFile, match="^gone.toml: does not exist$"):
        read_text(tmp_path / "gone.toml")


@pytest.mark.parametrize(
    ("load", "text", "start"),
    [
        (load_toml, "a = ", "is not valid TOML: "),
        (load_json, "{ not json", "is not valid JSON: "),
        (load_yaml, "a: [", "is not valid YAML: "),
    ],
)
def test_it_words_a_syntax_error_in_one_line(load, text, start):
    (message,) = refused(load, text)
    assert message.startswith(start) and "\n" not in message


KEYS = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=5)
PLAUSIBLE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-INT_LIMIT, INT_LIMIT)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5).filter(lambda k: "\x00" not in k), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(PLAUSIBLE)
def test_it_gives_back_any_plausible_json_unchanged(doc):
    assert load_json(json.dumps(doc), max_depth=100) == doc


@given(
    st.dictionaries(
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=5),
        st.integers(INT_LIMIT + 1, 10**40) | st.integers(-(10**40), -INT_LIMIT - 1),
        min_size=1,
        max_size=4,
    )
)
def test_it_refuses_every_number_too_large_for_64_bits(doc):
    problems = value_problems(load_toml_safe(doc))
    assert len(problems) == len(doc)


def load_toml_safe(doc):
    """The document through TOML's own writer and parser, as a file would be."""
    import tomllib

    return tomllib.loads(tomli_w.dumps(doc))


@given(
    st.recursive(
        st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=50,
    )
)
def test_it_walks_anything_without_raising(data):
    assert isinstance(value_problems(data, max_depth=3), list)
