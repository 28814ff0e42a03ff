"""Background tasks run in the real django-tasks database worker and report progress to a page."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.demo import views as demo_views
from offramp.jobs.models import JobProgress
from offramp.people.models import Person
from offramp.programs.roles import Role


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(demo_views, "PEOPLE_PER_CLICK", 12)


# The worker closes connections that are inside a transaction, as a real worker would: commit for real.
@pytest.mark.django_db(transaction=True)
@override_settings(MODE="demo")
def test_it_runs_a_task_in_the_worker_and_shows_its_progress(world, login, small_batches):
    client = login(world.users[Role.SYSTEM_ADMIN])
    response = client.post(reverse("demo:seed"))
    job = JobProgress.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    waiting = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert waiting["finished"] is False
    assert waiting["status"] == "Ready"

    call_command("worker", batch=True, verbosity=0)

    done = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert done == {
        "status": "Successful",
        "finished": True,
        "done": 12,
        "total": 12,
        "percent": 100,
        "message": "12 of 12 people",
    }
    with trusted("test"):
        assert Person.objects.filter(program=world.program).count() == 2 + 12
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert b"Successful" in page.content


@override_settings(MODE="demo")
def test_it_shows_a_task_only_to_whoever_started_it(world, login, small_batches):
    login(world.users[Role.SYSTEM_ADMIN]).post(reverse("demo:seed"))
    job = JobProgress.objects.get()
    for user in (world.users[Role.PROJECT_MANAGER], world.outsider):
        client = login(user)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:progress", args=[job.pk])).status_code == 404


def test_it_refuses_synthetic_data_outside_demo_sites(world, login):
    client = login(world.users[Role.SYSTEM_ADMIN])
    assert client.post(reverse("demo:seed")).status_code == 404
    assert not JobProgress.objects.exists()


@override_settings(MODE="demo")
@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.SYSTEM_ADMIN, Role.PROJECT_MANAGER)])
def test_it_refuses_synthetic_data_to_roles_without_configuration_rights(world, login, role):
    assert login(world.users[role]).post(reverse("demo:seed")).status_code == 404
