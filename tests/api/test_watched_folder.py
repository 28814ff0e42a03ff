"""Sites that can only drop files: each export in the watched folder is screened continuously, whole or
not at all, and moved aside; a bad file is refused with its problems named."""

import io
import shutil

from django.core.management import call_command

from offramp.access.scope import trusted
from offramp.referrals.models import ScreenedArrest, ScreeningRun
from offramp.referrals.protocol import EXAMPLES_DIR

EXAMPLES = EXAMPLES_DIR.parent / "examples"


def _watch(world, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    world.program.configuration = {
        "arrest_watch": {"folder": str(folder), "mapping": str(EXAMPLES / "cascade_pd_mapping.toml")}
    }
    world.program.save()
    return folder


def test_a_dropped_export_is_screened_and_moved(world, protocol, tmp_path):
    folder = _watch(world, tmp_path)
    shutil.copy(EXAMPLES / "cascade_pd_arrests.csv", folder / "monday.csv")
    out = io.StringIO()
    call_command("arrests-watch", stdout=out)
    assert "monday.csv" in out.getvalue() and "arrests screened" in out.getvalue()
    assert (folder / "done" / "monday.csv").exists() and not (folder / "monday.csv").exists()
    with trusted("test"):
        run = ScreeningRun.objects.get(continuous=True)
        assert run.file_name == "folder:monday.csv"
        assert ScreenedArrest.objects.filter(run=run).count() == run.rows > 0
    shutil.copy(EXAMPLES / "cascade_pd_arrests.csv", folder / "again.csv")  # a resend stores nothing twice
    call_command("arrests-watch", stdout=io.StringIO())
    with trusted("test"):
        assert ScreeningRun.objects.filter(continuous=True).count() == 1


def test_a_bad_file_loads_nothing_and_names_the_problem(world, protocol, tmp_path):
    folder = _watch(world, tmp_path)
    lines = (EXAMPLES / "cascade_pd_arrests.csv").read_text().splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("ArrestDate")] = "not a date"
    (folder / "bad.csv").write_text("\n".join([lines[0], ",".join(bad), *lines[2:]]) + "\n")
    call_command("arrests-watch", stdout=io.StringIO())
    problems = (folder / "refused" / "bad.csv.problems.txt").read_text()
    assert "line 2" in problems and "incident_date" in problems
    with trusted("test"):
        assert not ScreenedArrest.objects.exists()
