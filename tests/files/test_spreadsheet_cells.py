"""Every CSV offramp writes opens in a spreadsheet without running a formula typed into a cell."""

import csv
import io
import shutil

import polars as pl
import pytest
from django.core.management import call_command
from django.urls import reverse

from offramp.access.roles import Role
from offramp.access.scope import Actor
from offramp.directory import actions, queries
from offramp.directory.writing import to_tabular
from offramp.files.cells import csv_dict_writer, csv_writer, safe_cell, safe_frame, unsafe_cell
from offramp.programs.models import Program
from offramp.referrals.actions import screening_run_create
from tests.referrals.screening_files import MAPPING, csv_bytes, project_manager, publish_seattle, row
from tests.standards import standard_file

FORMULAS = ["=HYPERLINK(x)", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\tleading tab", "\rleading return"]
PLAIN = ["-0.25", "+3", "1e-5", "-12", "Ruiz", "", "a=b", "'quoted"]


@pytest.mark.parametrize("text", FORMULAS)
def test_it_quotes_a_cell_a_spreadsheet_would_run_and_reads_it_back(text):
    assert safe_cell(text) == "'" + text
    assert unsafe_cell(safe_cell(text)) == text


@pytest.mark.parametrize("text", PLAIN)
def test_it_leaves_numbers_and_plain_text_alone(text):
    assert safe_cell(text) == text
    assert unsafe_cell(text) == text


def test_it_quotes_through_every_writer_shape():
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerows([["=1+1", 5, -0.5, "-0.5"]])
    assert out.getvalue() == "'=1+1,5,-0.5,-0.5\n"
    out = io.StringIO()
    writer = csv_dict_writer(out, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "@x", "b": "y"})
    assert out.getvalue().splitlines() == ["a,b", "'@x,y"]
    frame = safe_frame(pl.DataFrame({"a": ["=x", "-0.5", None, "ok"], "n": [1, 2, 3, 4]}))
    assert frame["a"].to_list() == ["'=x", "-0.5", None, "ok"] and frame["n"].to_list() == [1, 2, 3, 4]


def _cells(text: str) -> set[str]:
    return {cell for line in csv.reader(io.StringIO(text)) for cell in line}


def test_it_quotes_officer_names_in_the_screening_results_and_the_equity_export(world, login, tmp_path):
    publish_seattle(world)
    rows = [row(f"A-{i}", officer="=HYPERLINK(x)") for i in range(12)]
    rows += [row(f"B-{i}", officer="@SUM(A1)", beat="-East") for i in range(12)]
    source = tmp_path / "arrests.csv"
    source.write_bytes(csv_bytes(rows))
    (tmp_path / "mapping.toml").write_text(MAPPING)
    out = tmp_path / "results.csv"
    call_command("screen", str(source), program="test", mapping=str(tmp_path / "mapping.toml"), out=str(out))
    written = _cells(out.read_text())
    assert {"'=HYPERLINK(x)", "'@SUM(A1)", "'-East"} <= written
    assert not {"=HYPERLINK(x)", "@SUM(A1)", "-East"} & written

    made, _ = screening_run_create(
        actor=project_manager(world), source=csv_bytes(rows), file_name="q.csv", mapping_text=MAPPING
    )
    response = login(world.users[Role.PROJECT_MANAGER]).get(reverse("referrals:equity_csv", args=[made.pk]))
    assert response.status_code == 200
    exported = _cells(response.content.decode())
    assert {"'=HYPERLINK(x)", "'@SUM(A1)", "'-East"} <= exported
    assert not {"=HYPERLINK(x)", "@SUM(A1)", "-East"} & exported


def test_it_quotes_directory_tables_and_imports_its_own_export_back_unchanged(db, tmp_path):
    program = Program.objects.create(name="Directory test", slug="dirtest", jurisdiction="Here")
    folder = tmp_path / "package"
    shutil.copytree(standard_file("hsds-3.0", "examples", "csv"), folder)
    organizations = folder / "organizations.csv"
    organizations.write_text(
        organizations.read_text().replace("Example Organization Inc.", "=HYPERLINK(evil)", 1)
    )
    actions.directory_import(actor=Actor.system("tests", program=program), path=folder)
    first = queries.directory_rows(Actor.system("tests", program=program), purpose="tests")
    files = to_tabular(first)
    assert "'=HYPERLINK(evil)" in _cells(files["organizations.csv"])
    assert "=HYPERLINK(evil)" not in _cells(files["organizations.csv"])
    out = tmp_path / "again"
    out.mkdir()
    for name, text in files.items():
        (out / name).write_text(text)
    again = Program.objects.create(name="Again", slug="again", jurisdiction="There")
    actions.directory_import(actor=Actor.system("tests", program=again), path=out)
    names = [
        o["name"]
        for o in queries.directory_rows(Actor.system("tests", program=again), purpose="t")["organization"]
    ]
    assert "=HYPERLINK(evil)" in names
