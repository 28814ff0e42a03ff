"""`offramp council-report` on the shipped example files: every figure in report.json equals the one
its own page computes, the provenance hashes are the files', and a bad file is refused by line and
field with nothing stored."""

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.roles import Role
from offramp.access.scope import Actor, trusted
from offramp.analysis.models import ImportBatch, StudyRun
from offramp.analysis.synthetic import seed_evaluation
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.models import ScreeningRun
from offramp.referrals.queries import screening_equity
from offramp.reports import council, queries
from offramp.reports.period import period_from

REPO = Path(__file__).resolve().parents[2]
ARRESTS = REPO / "offramp/referrals/examples/cascade_pd_arrests.csv"
MAPPING = REPO / "offramp/referrals/examples/cascade_pd_mapping.toml"
RECORDS = REPO / "offramp/reports/examples/legal_events.csv"
RECORDS_MAPPING = REPO / "offramp/reports/examples/legal_events_mapping.toml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def program(world):
    protocol_publish_example(program=world.program)
    seeded = seed_evaluation(program=world.program, n_people=400, run=False)
    return world.program, seeded.study


def _run(program, out, records=RECORDS):
    call_command(
        "council-report",
        program=program.slug,
        arrests=str(ARRESTS),
        mapping=str(MAPPING),
        records=str(records),
        records_mapping=str(RECORDS_MAPPING),
        out=str(out),
    )
    return json.loads((out / "report.json").read_text())


def test_it_writes_figures_equal_to_the_pages_and_their_provenance(program, world, tmp_path):
    prog, study = program
    report = _run(prog, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert html.index("Summary") < html.index("Screening") < html.index("Where the data came from")
    figures, provenance = report["figures"], report["provenance"]
    assert provenance["arrests"] == {"file": ARRESTS.name, "sha256": _sha(ARRESTS)}
    assert provenance["records"] == {"file": RECORDS.name, "sha256": _sha(RECORDS)}
    assert provenance["study"]["sha256"] == hashlib.sha256(study.toml.encode()).hexdigest()
    with trusted("tests"):
        run = ScreeningRun.objects.get(pk=figures["screening"]["run_id"])
        study_run = StudyRun.objects.get(pk=provenance["study"]["run_id"])
    assert provenance["protocol"]["version"] == run.protocol_version.version
    assert figures["screening"]["arrests_screened"] == run.rows == 8
    assert figures["screening"]["eligible"] == run.eligible
    assert figures["screening"]["offered_diversion"] == run.diverted
    manager = Actor(
        user=world.users[Role.PROJECT_MANAGER], program=prog, roles=frozenset({Role.PROJECT_MANAGER})
    )
    equity = screening_equity(manager, run.pk)
    assert figures["equity"]["overall_offer_rate"] == equity["overall"]
    assert figures["equity"]["breakdowns"] == [
        {"dimension": field, "label": label, "groups": [asdict(c) for c in cells]}
        for field, label, cells, _chart in equity["breakdowns"]
    ]
    today = timezone.localdate(timezone=prog.zone)
    dashboard = queries.dashboard_for(manager, period_from({}, today=today, zone=prog.zone))
    assert figures["participation"] == json.loads(json.dumps(council.section_figures(dashboard["sections"])))
    assert [c["summary"] for c in figures["evaluation"]["contrasts"]] == [
        c["summary"] for c in study_run.result["contrasts"]
    ]
    assert report["summary"][0].startswith(f"Of 8 arrests in the records-system export, {run.eligible} met")
    assert AuditEntry.objects.filter(detail__view="council_report").count() == 1


def test_it_refuses_a_bad_row_by_file_line_and_field_and_stores_nothing(program, tmp_path):
    prog, _study = program
    bad = tmp_path / "legal.csv"
    lines = RECORDS.read_text().splitlines()
    lines[2] = lines[2].replace("2026-03-04", "2026-13-04")  # line 3 of the file
    bad.write_text("\n".join(lines) + "\n")
    with trusted("tests"):
        before = (ScreeningRun.objects.count(), ImportBatch.objects.count(), StudyRun.objects.count())
    with pytest.raises(CommandError) as caught:
        _run(prog, tmp_path / "out", records=bad)
    message = str(caught.value)
    assert message.startswith("No report made, nothing stored: ")
    assert "legal.csv" in message and "line 3" in message and "date" in message
    with trusted("tests"):
        after = (ScreeningRun.objects.count(), ImportBatch.objects.count(), StudyRun.objects.count())
    assert after == before
    assert not (tmp_path / "out" / "report.json").exists()
