"""Evaluators write a study in a form; every problem in it is shown at once and nothing is saved."""

from django.urls import reverse

from offramp.access.scope import trusted
from offramp.analysis.models import Study
from offramp.analysis.synthetic import EXAMPLE_STUDY
from offramp.programs.roles import Role


def test_it_shows_every_problem_and_saves_nothing(world, login):
    client = login(world.users[Role.EVALUATOR])
    bad = (
        EXAMPLE_STUDY.read_text()
        .replace('role = "comparison"', 'role = "intervention"')
        .replace('primary_outcome = "any_arrest_12m"', 'primary_outcome = "any_arest_12m"')
    )
    body = client.post(reverse("analysis:study_new"), {"toml": bad}).content.decode()
    assert "exactly one arm must have role &#x27;comparison&#x27; (found 0)" in body
    assert "analysis.primary_outcome: names no outcome defined in [[outcomes]]" in body
    with trusted("test"):
        assert not Study.objects.exists()


def test_it_saves_a_good_study_and_lists_it(world, login):
    client = login(world.users[Role.EVALUATOR])
    assert "[study]" in client.get(reverse("analysis:study_new")).content.decode()  # starts from the example
    response = client.post(reverse("analysis:study_new"), {"toml": EXAMPLE_STUDY.read_text()})
    assert response["Location"] == reverse("web:evaluation")
    with trusted("test"):
        study = Study.objects.get()
    assert (study.program, study.created_by) == (world.program, world.users[Role.EVALUATOR])
    assert study.name in client.get(reverse("web:evaluation")).content.decode()
    again = client.post(reverse("analysis:study_new"), {"toml": EXAMPLE_STUDY.read_text()}).content.decode()
    assert "a study with this name already exists" in again
