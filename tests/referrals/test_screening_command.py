"""`offramp screen` screens the shipped example export with the shipped example mapping."""

import csv

import pytest
from django.core.management import CommandError, call_command

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.referrals.models import ScreeningRun
from offramp.referrals.protocol import EXAMPLES_DIR
from tests.referrals.screening_files import publish_seattle, set_incident

EXAMPLES = EXAMPLES_DIR.parent / "examples"
ARRESTS, MAPPING = EXAMPLES / "cascade_pd_arrests.csv", EXAMPLES / "cascade_pd_mapping.toml"


def test_it_screens_the_example_export_and_writes_results(world, tmp_path, capsys):
    publish_seattle(world)
    set_incident(world.own_case.referral_id, "26-000106")
    out = tmp_path / "results.csv"
    call_command("screen", str(ARRESTS), program="test", mapping=str(MAPPING), out=str(out))
    printed = capsys.readouterr().out
    assert "Screened 8 arrests" in printed
    assert "4 eligible on the record, 1 of them diverted, 3 missed" in printed
    with open(out, newline="") as f:
        results = list(csv.DictReader(f))
    assert [r["incident_number"] for r in results][:2] == ["26-000101", "26-000102"]
    diverted = [r for r in results if r["diverted"] == "true"]
    assert [(r["incident_number"], r["eligible"], r["officer"]) for r in diverted] == [
        ("26-000106", "true", "Officer Diaz")
    ]
    with trusted("tests"):
        run = ScreeningRun.objects.get(program=world.program)
    assert (run.file_name, run.created_by, run.diverted) == ("cascade_pd_arrests.csv", None, 1)


def test_it_fails_naming_the_line_and_stores_nothing(world, tmp_path):
    publish_seattle(world)
    before = AuditEntry.objects.count()
    bad = tmp_path / "bad.csv"
    good_date, bad_date = "03/05/2026,16:45,RCW 69.50.401,", "3/5/26x,16:45,RCW 69.50.401,"
    bad.write_text(ARRESTS.read_text().replace(good_date, bad_date))
    with pytest.raises(CommandError) as raised:
        call_command("screen", str(bad), program="test", mapping=str(MAPPING))
    assert "bad.csv, line 7, incident_date (column 'ArrestDate'): '3/5/26x' is not a date" in str(
        raised.value
    )
    with trusted("tests"):
        assert not ScreeningRun.objects.exists()
    assert AuditEntry.objects.count() == before


def test_it_names_an_unknown_program(world):
    with pytest.raises(CommandError, match="No program with the slug 'nowhere'"):
        call_command("screen", str(ARRESTS), program="nowhere", mapping=str(MAPPING))


@pytest.mark.parametrize("where", ["missing/dir/x.csv", "a-folder", "n" * 300 + ".csv"])
def test_it_stores_no_run_when_the_results_cannot_be_written(world, tmp_path, where):
    publish_seattle(world)
    (tmp_path / "a-folder").mkdir()
    out = tmp_path / where
    for _ in range(2):  # a re-run after the failure stores nothing either
        with pytest.raises(CommandError) as raised:
            call_command("screen", str(ARRESTS), program="test", mapping=str(MAPPING), out=str(out))
        assert "\n" not in str(raised.value) and "--out" in str(raised.value)
    with trusted("tests"):
        assert not ScreeningRun.objects.exists()
