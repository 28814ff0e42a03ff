"""`offramp evaluate` prints the summary, writes report.html and report.json, and saves the run.

The evaluation page then shows the same report."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from offramp.evaluation.simulate import simulate
from offramp.programs.roles import Role

EXAMPLE = Path(__file__).resolve().parents[2] / "offramp" / "evaluation" / "examples" / "seattle_design.toml"


def test_it_evaluates_a_programs_records_and_the_evaluator_sees_the_same_report(
    world, login, seeded, tmp_path
):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "evaluate", str(EXAMPLE), program=world.program.slug, out=str(tmp_path), stdout=out, stderr=err
    )
    printed = out.getvalue()
    result = json.loads((tmp_path / "report.json").read_text())
    summary = result["contrasts"][0]["summary"]
    assert all(sentence in printed for sentence in summary)
    assert "[##############################] 14/14" in err.getvalue()
    html = (tmp_path / "report.html").read_text()
    assert "<style>" in html and "What we found" in html and html.count("<svg") == 3
    run_id = result["provenance"]["run_id"]
    page = login(world.users[Role.EVALUATOR]).get(reverse("analysis:run_report", args=[run_id]))
    assert summary[1].replace("'", "&#x27;") in page.content.decode()


def test_it_evaluates_plain_files_too(tmp_path):
    sim = simulate(n_people=600, seed=2)
    sim.people.write_parquet(tmp_path / "people.parquet")
    sim.events.write_parquet(tmp_path / "events.parquet")
    out = io.StringIO()
    call_command(
        "evaluate",
        str(EXAMPLE),
        people=str(tmp_path / "people.parquet"),
        events=str(tmp_path / "events.parquet"),
        out=str(tmp_path / "r"),
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "odds of a re-arrest within 12 months" in out.getvalue()
    assert (tmp_path / "r" / "report.json").exists()


def test_it_explains_a_bad_study_file(tmp_path, db):
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace('measure = "any"', 'measure = "some"', 1))
    with pytest.raises(CommandError, match="outcomes\\[0\\].measure: must be one of"):
        call_command("evaluate", str(bad), program="nowhere")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (("months = 12", "months = 99999999999"), "outcomes[1].months: must be at most 600"),
        (('"prior_arrest_6m"', '"prior_arrest_99999999999m"'), "covariates.numeric[0]: must be at most 600"),
        (("window_months = 12", "window_months = 99999999999"), "costs.window_months: must be at most 600"),
        (("ratio = 1 ", "ratio = 99999999999 "), "matching.ratio: must be at most 100"),
        (("jail_day = 170.0", "jail_day = 1e300"), "costs.unit.jail_day: must be at most"),
    ],
)
def test_an_absurd_value_is_refused_before_anything_is_stored(tmp_path, world, change, where):
    from offramp.access.scope import trusted
    from offramp.analysis.models import Study, StudyRun

    text = EXAMPLE.read_text()
    assert change[0] in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(change[0], change[1], 1))
    with trusted("test: count what was stored"):
        before = (Study.objects.count(), StudyRun.objects.count())
    with pytest.raises(CommandError, match=f"study.toml, {re.escape(where)}"):
        call_command("evaluate", str(bad), program=world.program.slug, out=str(tmp_path / "r"))
    with trusted("test: count what was stored"):
        assert (Study.objects.count(), StudyRun.objects.count()) == before
    assert not (tmp_path / "r").exists()


def test_it_checks_the_program_and_the_files_before_it_runs(tmp_path, db):
    with pytest.raises(CommandError, match="no program with slug 'nowhere'"):
        call_command("evaluate", str(EXAMPLE), program="nowhere", out=str(tmp_path / "r"))
    with pytest.raises(CommandError, match="--people and --events go together"):
        call_command("evaluate", str(EXAMPLE), people=str(tmp_path / "p.csv"), out=str(tmp_path / "r"))
    assert not (tmp_path / "r").exists()
