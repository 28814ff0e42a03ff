import re
from pathlib import Path

from offramp.access.policy import MATRIX, Category, Scope, scope_of
from offramp.programs.roles import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
CELL = {"no": Scope.NONE, "limited": Scope.LIMITED, "own": Scope.OWN, "program": Scope.PROGRAM}


def _documented_matrix() -> dict:
    """The first table in docs/permissions.md: rows are categories, columns roles."""
    lines = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    header = [cell.strip(" `") for cell in lines[0].strip("|").split("|")]
    roles = header[1:]
    table = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        match = re.search(r"`(\w+)`", cells[0])
        if not match:
            break
        table[match.group(1)] = {
            role: CELL[cell.split()[0].lower()] for role, cell in zip(roles, cells[1:], strict=True)
        }
    return table


def test_it_documents_exactly_the_matrix_the_code_enforces():
    assert _documented_matrix() == {category: dict(row) for category, row in MATRIX.items()}


def test_it_covers_every_category_and_role():
    assert set(MATRIX) == set(Category.ALL)
    for row in MATRIX.values():
        assert set(row) == set(Role)


def test_it_takes_the_widest_scope_of_several_roles():
    assert scope_of({Role.OFFICER, Role.CASE_SUPERVISOR}, Category.CASE_RECORD) == Scope.PROGRAM
    assert scope_of(set(), Category.CASE_RECORD) == Scope.NONE


def test_it_never_shows_evaluators_or_admins_identified_participant_data():
    for role in (Role.EVALUATOR, Role.SYSTEM_ADMIN):
        for category in (
            Category.IDENTITY,
            Category.CASE_RECORD,
            Category.NOTES,
            Category.PART2,
            Category.LEGAL,
        ):
            assert MATRIX[category][role] == Scope.NONE


def test_it_keeps_substance_use_information_from_project_managers_and_police():
    for role in (Role.PROJECT_MANAGER, Role.OFFICER, Role.PROSECUTOR):
        assert MATRIX[Category.PART2][role] == Scope.NONE
