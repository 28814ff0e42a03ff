"""The shape docs/architecture.md promises, checked on the source: views ask the policy by named need,
no module outgrows 500 lines, and the formatter decides every line."""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "offramp"
MATRIX_NAMES = {"Scope", "Category"}


def _python_files():
    return [p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts]


def _is_view(path: Path) -> bool:
    return path.name == "views.py" or "views" in path.relative_to(SOURCE).parts[:-1]


def test_no_view_spells_out_the_permission_matrix():
    found = []
    for path in filter(_is_view, _python_files()):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "offramp.access.policy":
                found += [
                    f"{path.relative_to(SOURCE)}: {a.name}" for a in node.names if a.name in MATRIX_NAMES
                ]
    assert found == [], "views name a need from access/policy.py instead"


def test_every_module_stays_under_500_lines():
    long = {
        str(p.relative_to(SOURCE)): n for p in _python_files() if (n := len(p.read_text().splitlines())) > 500
    }
    assert long == {}


def test_the_formatter_decides_every_line():
    skipped = [str(p.relative_to(SOURCE)) for p in _python_files() if "fmt: " + "skip" in p.read_text()]
    assert skipped == []


def test_test_modules_outside_packages_have_names_of_their_own():
    # pytest imports a test folder without __init__.py by the module's bare name: two such modules with
    # one name cannot both be collected ("import file mismatch").
    tests = Path(__file__).resolve().parent
    seen: dict[str, list[str]] = {}
    for path in tests.rglob("test_*.py"):
        if not (path.parent / "__init__.py").exists():
            seen.setdefault(path.name, []).append(str(path.relative_to(tests)))
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}
