"""Bringing in an existing program: a 10,000-person export loads whole; one bad row loads nothing and is
named; a dry run reports and writes nothing. Duplicates (joined, or suggested for review) are in
test_import_duplicates.py."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from offramp.access.models import AuditEntry, Consent
from offramp.access.scope import Actor, trusted
from offramp.bulk.actions import ERR_MANAGER, program_import
from offramp.cases.models import Case
from offramp.people.models import Person
from offramp.programs.roles import Role

EXAMPLE = Path(__file__).resolve().parents[2] / "offramp" / "bulk" / "examples" / "generic_case_mapping.toml"
HEADER = [
    "ClientID",
    "FirstName",
    "LastName",
    "DOB",
    "CaseManager",
    "Status",
    "EnrollDate",
    "IntakeDate",
    "ExitDate",
    "ExitReason",
    "ProsecutorROI",
    "HMISROI",
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _rows(n: int, manager: str) -> list[list[str]]:
    rows = []
    for i in range(n):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=i % 15000)
        exited = i % 5 == 0
        rows.append(
            [
                f"C{i:05d}",
                f"First{i}",
                f"Last{i}",
                born.strftime("%m/%d/%Y"),
                manager,
                "Exited" if exited else "Active",
                "01/15/2024",
                "02/01/2024",
                "06/30/2025" if exited else "",
                "Goals met" if exited else "",
                "03/01/2024" if i % 3 == 0 else "",
                "03/01/2024" if i % 4 == 0 else "",
            ]
        )
    return rows


def _actor(world):
    return Actor(
        user=world.users[Role.PROJECT_MANAGER], program=world.program, roles=frozenset({Role.PROJECT_MANAGER})
    )


def _counts(world):
    with trusted("test"):
        return (
            Person.objects.filter(program=world.program).count(),
            Case.objects.filter(program=world.program).count(),
            Consent.objects.filter(program=world.program).count(),
        )


@pytest.mark.slow
def test_ten_thousand_people_load_whole(world, tmp_path):
    manager = world.users[Role.CASE_MANAGER].username
    path = _write(tmp_path / "caseload.csv", _rows(10_000, manager))
    before = _counts(world)
    report = program_import(actor=_actor(world), path=path, mapping_text=EXAMPLE.read_text())
    assert report.problems == [] and report.loaded
    assert (report.rows, report.people_created) == (10_000, 10_000)
    people, cases, consents = _counts(world)
    assert (people - before[0], cases - before[1]) == (10_000, 10_000)
    assert consents - before[2] == len(range(0, 10_000, 3)) + len(range(0, 10_000, 4))
    with trusted("test"):
        assert (
            Case.objects.filter(program=world.program, status="exited", exit_reason="goals_met").count()
            == 2000
        )
    assert AuditEntry.objects.filter(object_type="ProgramImport").count() == 1


def test_one_bad_row_loads_nothing_and_is_named(world, tmp_path):
    manager = world.users[Role.CASE_MANAGER].username
    rows = _rows(50, manager)
    rows[36][4] = "nobody"  # line 38 of the file (the header is line 1)
    path = _write(tmp_path / "caseload.csv", rows)
    before = _counts(world)
    report = program_import(actor=_actor(world), path=path, mapping_text=EXAMPLE.read_text())
    assert not report.loaded
    assert report.problems == [
        f"caseload.csv, line 38, case_manager (column 'CaseManager'): {ERR_MANAGER.format(value='nobody')}"
    ]
    assert _counts(world) == before
    rows = _rows(5, manager)
    rows[2][3] = "31/31/1999"
    report = program_import(
        actor=_actor(world), path=_write(tmp_path / "dates.csv", rows), mapping_text=EXAMPLE.read_text()
    )
    assert (
        len(report.problems) == 1 and "line 4" in report.problems[0] and "date_of_birth" in report.problems[0]
    )
    assert _counts(world) == before


def test_a_dry_run_reports_and_writes_nothing(world, tmp_path):
    path = _write(tmp_path / "caseload.csv", _rows(20, world.users[Role.CASE_MANAGER].username))
    before = _counts(world)
    report = program_import(actor=_actor(world), path=path, mapping_text=EXAMPLE.read_text(), dry_run=True)
    assert report.problems == [] and not report.loaded and report.people_created == 20
    assert _counts(world) == before
    assert not AuditEntry.objects.filter(object_type="ProgramImport").exists()


def test_the_command_refuses_with_the_problems(world, tmp_path):
    rows = _rows(3, "nobody")
    path = _write(tmp_path / "caseload.csv", rows)
    with pytest.raises(CommandError, match="line 2, case_manager"):
        call_command("import-program", str(path), program=world.program.slug, mapping=str(EXAMPLE))
    out = io.StringIO()
    good = _write(tmp_path / "good.csv", _rows(3, world.users[Role.CASE_MANAGER].username))
    call_command(
        "import-program",
        str(good),
        program=world.program.slug,
        mapping=str(EXAMPLE),
        dry_run=True,
        stdout=out,
    )
    assert "Would import 3 cases" in out.getvalue()


def test_other_roles_may_not_import(world, tmp_path):
    from django.http import Http404

    path = _write(tmp_path / "caseload.csv", _rows(1, ""))
    officer = Actor(user=world.users[Role.OFFICER], program=world.program, roles=frozenset({Role.OFFICER}))
    with pytest.raises(Http404):
        program_import(actor=officer, path=path, mapping_text=EXAMPLE.read_text())
