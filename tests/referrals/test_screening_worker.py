"""The upload page queues the screening as a background task; the real worker runs it with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.jobs.models import JobProgress
from offramp.programs.roles import Role
from offramp.referrals.models import ScreenedArrest, ScreeningRun
from tests.referrals.screening_files import ASSAULT, MAPPING, csv_bytes, publish_seattle, row


def post(client, data: bytes, mapping: str = MAPPING):
    return client.post(
        reverse("referrals:screening"),
        {
            "version": 1,
            "arrests": SimpleUploadedFile("march.csv", data, "text/csv"),
            "mapping": SimpleUploadedFile("mapping.toml", mapping.encode(), "application/toml"),
        },
    )


@pytest.fixture
def uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "uploads"


@pytest.mark.django_db(transaction=True)
def test_it_screens_an_upload_in_the_worker_with_progress(world, login, uploads):
    publish_seattle(world)
    client = login(world.users[Role.PROJECT_MANAGER])
    response = post(client, csv_bytes([row(f"A-{i}") for i in range(7)] + [row("X-1", statute=ASSAULT)]))
    job = JobProgress.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert len(list(uploads.iterdir())) == 1  # kept for the worker, readable by the service only
    assert client.get(reverse("jobs:progress", args=[job.pk])).json()["status"] == "Ready"

    call_command("worker", batch=True, verbosity=0)

    done = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert done == {
        "status": "Successful",
        "finished": True,
        "done": 8,
        "total": 8,
        "percent": 100,
        "message": "Screened 8 arrests: 7 eligible, 0 diverted, 7 missed.",
    }
    with trusted("tests"):
        run = ScreeningRun.objects.get()
        assert ScreenedArrest.objects.filter(run=run).count() == 8
    assert (run.file_name, run.created_by, run.program) == (
        "march.csv",
        world.users[Role.PROJECT_MANAGER],
        world.program,
    )
    assert list(uploads.iterdir()) == []
    page = client.get(reverse("referrals:screening")).content.decode()
    assert "Equity audit of march.csv" in page


@pytest.mark.django_db(transaction=True)
def test_it_fails_the_task_naming_the_bad_line_and_stores_nothing(world, login, uploads):
    publish_seattle(world)
    client = login(world.users[Role.PROJECT_MANAGER])
    post(client, csv_bytes([row("A-1"), row("A-2", grams="-1"), row("A-3")]))

    call_command("worker", batch=True, verbosity=0)

    done = client.get(reverse("jobs:progress", args=[JobProgress.objects.get().pk])).json()
    assert done["status"] == "Failed"
    assert done["message"] == (
        "Not loaded, nothing stored: march.csv, line 3, quantity_grams (column 'NetWeightG'): "
        "'-1' is not a number of grams (0 or more)"
    )
    with trusted("tests"):
        assert (ScreeningRun.objects.count(), ScreenedArrest.objects.count()) == (0, 0)
    assert list(uploads.iterdir()) == []


def test_it_refuses_a_bad_mapping_on_the_form_and_queues_nothing(world, login, uploads):
    publish_seattle(world)
    client = login(world.users[Role.PROJECT_MANAGER])
    response = post(client, csv_bytes([row("A-1")]), mapping="[columns\n")
    assert response.status_code == 200
    assert "is not valid TOML" in response.content.decode()
    assert not JobProgress.objects.exists()
    assert not uploads.exists()


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.PROJECT_MANAGER, Role.SYSTEM_ADMIN)])
def test_it_refuses_an_upload_from_roles_without_configuration_rights(world, login, uploads, role):
    publish_seattle(world)
    assert post(login(world.users[role]), csv_bytes([row("A-1")])).status_code == 404
    assert not JobProgress.objects.exists()
