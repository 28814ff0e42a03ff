"""An evaluator runs a study from the evaluation page as a background task and reads its report."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.analysis.models import StudyRun
from offramp.jobs.models import JobProgress
from offramp.programs.roles import Role


# The worker closes connections that are inside a transaction, as a real worker would: commit for real.
@pytest.mark.django_db(transaction=True)
def test_it_runs_a_study_in_the_worker_and_shows_the_report(world, login, seeded):
    client = login(world.users[Role.EVALUATOR])
    page = client.get(reverse("web:evaluation")).content.decode()
    assert seeded.study.name in page and "Not run yet." in page

    response = client.post(reverse("analysis:run_start", args=[seeded.study.pk]))
    job = JobProgress.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    with trusted("test"):
        run = StudyRun.objects.get()
    assert (run.status, run.job_id, run.started_by) == ("queued", job.pk, world.users[Role.EVALUATOR])
    waiting = client.get(reverse("analysis:run_report", args=[run.pk])).content.decode()
    assert "Waiting to run" in waiting

    call_command("worker", batch=True, verbosity=0)

    progress = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert (progress["status"], progress["percent"], progress["message"]) == ("Successful", 100, "done")
    report = client.get(reverse("analysis:run_report", args=[run.pk])).content.decode()
    data = client.get(reverse("analysis:run_json", args=[run.pk])).json()
    first = data["result"]["contrasts"][0]["summary"][0]
    assert first.startswith("People in LEAD had ") and "odds of a re-arrest within 6 months" in first
    assert json.dumps(first)[1:-1].replace("\\u2019", "’") in report.replace("&#x27;", "'")
    # Summary before the tables; every chart, methods, limitations and provenance are on the page.
    assert report.index("What we found") < report.index("Estimated effects") < report.index("Limitations")
    assert report.count("<svg") == 3  # forest plot, Kaplan-Meier, love plot
    for text in ("jail_roster.csv", "jail_events.csv", "HMAC-SHA256", "unpenalised logistic regression"):
        assert text in report
    assert reverse("analysis:run_json", args=[run.pk]) in report
    page = client.get(reverse("web:evaluation")).content.decode()
    assert reverse("analysis:run_report", args=[run.pk]) in page


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.EVALUATOR, Role.PROJECT_MANAGER)])
def test_it_refuses_runs_to_roles_without_deidentified_access(world, login, study, role):
    response = login(world.users[role]).post(reverse("analysis:run_start", args=[study.pk]))
    assert response.status_code == 404
    with trusted("test"):
        assert not StudyRun.objects.exists()


def test_it_refuses_a_run_of_another_programs_study(world, login, study):
    response = login(world.outsider).post(reverse("analysis:run_start", args=[study.pk]))
    assert response.status_code == 404
