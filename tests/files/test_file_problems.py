"""One Problem type names the file, the line or path, the field; InvalidFile carries every one."""

import doctest

import pytest

from offramp.files import archives, documents, mapping, problems, table
from offramp.files.problems import MAX_SHOWN, InvalidFile, Problem, path_join


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("is required", file="p.csv", where=3, field="arm"), "p.csv, line 3, arm: is required"),
        (
            Problem("is required", file="p.csv", where=3, field="arm", column="GROUP"),
            "p.csv, line 3, arm (column 'GROUP'): is required",
        ),
        (
            Problem("unknown NIBRS code '99Z'", where="offences[2]", field="nibrs"),
            "offences[2].nibrs: unknown NIBRS code '99Z'",
        ),
        (
            Problem("must be a number", file="a.json", where="$.services[0]", field="minimum_age"),
            "a.json, $.services[0].minimum_age: must be a number",
        ),
        (Problem("is not a zip archive", file="hsds.zip"), "hsds.zip: is not a zip archive"),
        (Problem("is not valid TOML: x"), "is not valid TOML: x"),
        (Problem("odd", where="$", field="a b"), "$['a b']: odd"),
    ],
)
def test_it_names_the_place_of_a_problem(problem, text):
    assert str(problem) == text


def test_it_builds_paths_as_documents_write_them():
    assert path_join("", "offences") == "offences"
    assert path_join("offences", 2) == "offences[2]"
    assert path_join("offences[2]", "nibrs") == "offences[2].nibrs"
    assert path_join("$", "services.csv") == "$['services.csv']"


def test_it_orders_problems_by_file_then_line():
    found = InvalidFile(
        [
            Problem("b", file="p.csv", where=10, field="x"),
            Problem("a", file="p.csv", where=2, field="y"),
            Problem("c", file="e.csv", where=5, field="x"),
        ]
    )
    assert found.messages == ["e.csv, line 5, x: c", "p.csv, line 2, y: a", "p.csv, line 10, x: b"]


def test_it_shows_at_most_max_shown_and_counts_the_rest():
    found = InvalidFile([Problem("bad", where=i) for i in range(1, MAX_SHOWN + 6)], total=MAX_SHOWN + 20)
    assert len(found.problems) == MAX_SHOWN
    assert found.messages[-1] == "... and 20 more problems."
    assert str(found).splitlines()[0] == "line 1: bad"


@pytest.mark.parametrize("module", [problems, documents, archives, mapping, table])
def test_its_docstring_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
