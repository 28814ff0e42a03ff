"""The evaluation report hides small counts below the program's own small-cell threshold, never only
the deployment's: the run's report page and `offramp evaluate --program` follow the program's setting,
a report with no program (a study run on files) the deployment's OFFRAMP_SMALL_CELL."""

import html
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from offramp.analysis.presentation import report_context
from offramp.analysis.synthetic import EXAMPLE_STUDY, seed_evaluation
from offramp.programs.roles import Role

OWN = 40  # the program's threshold, above the deployment's 11


@pytest.fixture
def ran(world):
    """The example study run once on 500 synthetic people, in a program whose threshold is OWN."""
    world.program.configuration = {**(world.program.configuration or {}), "small_cell_threshold": OWN}
    world.program.save(update_fields=["configuration"])
    return seed_evaluation(program=world.program, seed=3, n_people=500).run


def _subgroup_counts(result) -> list[int]:
    return [
        n
        for c in result["contrasts"]
        for s in c["subgroups"]
        for n in (s["n_intervention"], s["n_comparison"])
    ]


def test_the_run_report_page_hides_counts_below_the_programs_threshold(world, login, ran):
    assert settings.SMALL_CELL < OWN
    counts = _subgroup_counts(ran.result)
    between = [n for n in counts if settings.SMALL_CELL <= n < OWN]
    assert between  # counts the deployment's threshold would show and the program's hides
    page = login(world.users[Role.EVALUATOR]).get(reverse("analysis:run_report", args=[ran.pk]))
    body = html.unescape(page.content.decode())
    assert f"fewer than {OWN}" in body
    assert f"fewer than {settings.SMALL_CELL}" not in body
    assert f"Counts below {OWN} are not shown" in body
    shown = {int(n.replace(",", "")) for n in re.findall(r"<td[^>]*>([\d,]+)</td>", body)}
    assert not shown & set(between)


def test_without_a_program_the_report_follows_the_deployment(ran):
    context = report_context(ran.result)
    assert context["small_cell"] == settings.SMALL_CELL
    subgroups = [s for c in context["contrasts"] for s in c["subgroups"]]
    small = [s for s in subgroups if s["n_intervention"].startswith("fewer")]
    assert all(s["n_intervention"] == f"fewer than {settings.SMALL_CELL}" for s in small)
    assert report_context(ran.result, small_cell=OWN)["limitations"][-1].startswith(f"Counts below {OWN} ")


def test_the_evaluate_command_writes_the_programs_threshold(world, ran, tmp_path):
    call_command("evaluate", str(EXAMPLE_STUDY), program=world.program.slug, out=str(tmp_path), verbosity=0)
    written = html.unescape((tmp_path / "report.html").read_text())
    assert f"Counts below {OWN} are not shown" in written
    assert f"fewer than {settings.SMALL_CELL}" not in written


def test_the_design_head_to_head_and_warnings_hide_small_counts_too(ran):
    """Every count in the report, not only the subgroup table: above every count, each reads 'fewer than'."""
    huge = 10**6
    context = report_context(ran.result, small_cell=huge)
    hidden = f"fewer than {huge}"
    assert set(context["data"]["people_by_arm"].values()) == {hidden}
    for c in context["contrasts"]:
        rows = dict(c["design_rows"])
        assert rows["People"] == f"{hidden} in the program, {hidden} compared"
        if "Matched" in rows:
            assert rows["Matched"] == f"{hidden} in the program, {hidden} compared"
            assert rows["Left out (no match in the caliper)"] in (hidden, "0")
    h2h = context["head_to_head"]
    if h2h:
        assert h2h["n_in_support"] == hidden and h2h["n_outside_support"] in (hidden, "0")
    counts = {
        c["design"][key]
        for c in ran.result["contrasts"]
        for key in ("n_intervention", "n_comparison", "dropped_by_caliper", "matched_intervention")
        if c["design"].get(key)
    }
    assert counts
    for c in context["contrasts"]:
        for warning in c["warnings"]:
            assert not any(re.search(rf"\b{n:,}\b", warning) for n in counts), warning
