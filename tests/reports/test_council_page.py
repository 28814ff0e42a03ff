"""The council report page: the project manager uploads the two exports, a background task makes the
report with its progress on the job page, and the stored report reads back as a page and as JSON."""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.analysis.synthetic import seed_evaluation
from offramp.jobs.models import JobProgress
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.reports.models import CouncilReport
from tests.reports.test_council_report import ARRESTS, MAPPING, RECORDS, RECORDS_MAPPING

URL = reverse("reports:council")


def _files(**override):
    files = {
        "arrests": ARRESTS,
        "arrests_mapping": MAPPING,
        "records": RECORDS,
        "records_mapping": RECORDS_MAPPING,
    }
    return {
        name: SimpleUploadedFile(path.name, override.get(name, path.read_bytes()))
        for name, path in files.items()
    }


@pytest.mark.django_db(transaction=True)
def test_it_makes_the_report_in_the_background_and_shows_it(world, login):
    protocol_publish_example(program=world.program)
    seed_evaluation(program=world.program, n_people=400, run=False)
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.post(URL, _files())
    job = JobProgress.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])

    call_command("worker", batch=True, verbosity=0)

    progress = client.get(reverse("jobs:progress", args=[job.pk])).json()
    with trusted("tests"):
        saved = CouncilReport.objects.get()
    assert (progress["status"], progress["percent"]) == ("Successful", 100)
    assert progress["message"] == f"Council report {saved.pk} is ready on the council report page."
    assert f"Report {saved.pk}</a>: {ARRESTS.name} and {RECORDS.name}" in client.get(URL).content.decode()
    page = client.get(reverse("reports:council_report", args=[saved.pk])).content.decode()
    assert page.index("Summary") < page.index("Where the data came from")
    assert hashlib.sha256(ARRESTS.read_bytes()).hexdigest() in page
    assert hashlib.sha256(RECORDS.read_bytes()).hexdigest() in page
    data = client.get(reverse("reports:council_json", args=[saved.pk])).json()
    assert data == saved.report and data["figures"]["screening"]["arrests_screened"] == 8
    views = AuditEntry.objects.filter(object_type="CouncilReport").values_list("action", "detail")
    assert ("read", {"view": "council_report"}) in views and ("export", {"view": "council_json"}) in views
    assert not list((settings.DATA_DIR / "uploads").glob("council-*"))  # the uploads are deleted


def test_it_refuses_a_bad_mapping_on_the_form_and_queues_nothing(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.post(
        URL, _files(records_mapping=b"[file]\ntable = 'events'\n[columns]\nsource_id = 1\n")
    )
    assert response.status_code == 200
    assert "No report made, nothing stored:" in response.content.decode()
    assert not JobProgress.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.CASE_MANAGER, Role.CASE_SUPERVISOR, Role.EVALUATOR, Role.SYSTEM_ADMIN]
)
def test_it_is_the_project_managers_alone(world, login, role):
    client = login(world.users[role])
    assert client.get(URL).status_code == 404
    assert client.post(URL, _files()).status_code == 404
    assert not JobProgress.objects.exists()


def test_it_answers_an_unknown_report_404_and_audits_it(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    assert client.get(reverse("reports:council_report", args=[999])).status_code == 404
    assert AuditEntry.objects.filter(
        object_type="CouncilReport", object_id="999", outcome="not_found"
    ).exists()
