"""The import page: a project manager checks a caseload export and its contacts, sees every problem at once
with nothing written, then imports it as a background task the real worker runs with its progress."""

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.bulk.forms import example
from offramp.jobs.models import JobProgress
from offramp.programs.roles import Role
from tests.bulk.test_program_import import HEADER, _counts, _rows
from tests.markup import without_tokens


def _csv(name: str, header: list[str], rows: list[list[str]]) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(), "text/csv")


def _post(client, rows, run="check", **extra):
    data = {
        "file": _csv("caseload.csv", HEADER, rows),
        "mapping": example("generic_case_mapping.toml"),
        "run": run,
    }
    return client.post(reverse("bulk:import"), {**data, **extra})


@pytest.fixture
def uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "uploads"


def test_it_offers_the_example_mappings_to_those_who_may_import(world, login):
    page = login(world.users[Role.PROJECT_MANAGER]).get(reverse("bulk:import"))
    assert page.status_code == 200
    body = html.unescape(page.content.decode())
    assert 'source_id = "ClientID"' in body and 'case_source_id = "ClientID"' in body
    assert 'href="/program/import/"' in body  # in the navigation
    for role in (Role.OFFICER, Role.CASE_MANAGER, Role.PROSECUTOR, Role.EVALUATOR):
        assert login(world.users[role]).get(reverse("bulk:import")).status_code == 404


def test_a_check_lists_every_problem_and_writes_nothing(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    before = _counts(world)
    response = _post(client, _rows(4, "nobody"))
    assert response.status_code == 400
    body = html.unescape(without_tokens(response.content.decode()))
    assert "Nothing would be imported: 4 problems" in body
    for line in (2, 3, 4, 5):
        assert f"caseload.csv, line {line}, case_manager (column 'CaseManager'): 'nobody' is not" in body
    rows = _rows(4, world.users[Role.CASE_MANAGER].username)
    rows[2][6] = "13/45/2024"
    body = html.unescape(_post(client, rows).content.decode())
    assert "Nothing would be imported: 1 problem" in body
    assert "caseload.csv, line 4, opened_on (column 'EnrollDate'): '13/45/2024' is not a date" in body
    assert _counts(world) == before


def test_a_clean_check_says_what_would_be_made_and_writes_nothing(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    before = _counts(world)
    response = _post(client, _rows(3, world.users[Role.CASE_MANAGER].username))
    assert response.status_code == 200
    assert "3 cases, 3 new people, 0 joined" in " ".join(response.content.decode().split())
    assert _counts(world) == before and not AuditEntry.objects.filter(object_type="ProgramImport").exists()


def test_it_refuses_a_file_of_another_kind_and_contacts_without_their_mapping(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = client.post(
        reverse("bulk:import"),
        {
            "file": SimpleUploadedFile("caseload.pdf", b"%PDF-1.4", "application/pdf"),
            "mapping": example("generic_case_mapping.toml"),
            "contacts": _csv("contacts.csv", ["ClientID"], [["C00001"]]),
            "contacts_mapping": "  ",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["file"] == ["Upload a .csv, .xlsx, .xls or .ods file."]
    assert errors["contacts_mapping"] == ["Give the contacts file's mapping too."]


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_the_worker_with_progress_and_removes_the_uploads(world, login, uploads):
    client = login(world.users[Role.CASE_SUPERVISOR])
    contacts = _csv(
        "contacts.csv",
        ["ClientID", "ContactDate", "ContactType", "Reached", "Location", "Minutes", "SubstanceUse", "Note"],
        [["C00001", "02/03/2024", "Phone", "yes", "", "10", "", "Called about ID."]],
    )
    before = _counts(world)
    response = _post(
        client,
        _rows(5, world.users[Role.CASE_MANAGER].username),
        run="import",
        contacts=contacts,
        contacts_mapping=example("generic_contacts_mapping.toml"),
    )
    job = JobProgress.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert len(list(uploads.iterdir())) == 2
    assert all(path.stat().st_mode & 0o077 == 0 for path in uploads.iterdir())
    assert _counts(world) == before  # nothing until the worker runs it

    call_command("worker", batch=True, verbosity=0)

    done = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert (done["status"], done["done"], done["total"]) == ("Successful", 5, 5)
    assert (
        done["message"].startswith("Imported 5 cases, 5 new people, 0 joined")
        and "1 contacts" in done["message"]
    )
    people, cases, _consents = _counts(world)
    assert (people - before[0], cases - before[1]) == (5, 5)
    assert list(uploads.iterdir()) == []
    entry = AuditEntry.objects.get(object_type="ProgramImport")
    assert entry.actor == world.users[Role.CASE_SUPERVISOR] and entry.detail["contacts"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_import_names_its_first_problem_and_stores_nothing(world, login, uploads):
    client = login(world.users[Role.PROJECT_MANAGER])
    before = _counts(world)
    _post(client, _rows(3, "nobody"), run="import")
    call_command("worker", batch=True, verbosity=0)
    done = client.get(reverse("jobs:progress", args=[JobProgress.objects.get().pk])).json()
    assert done["status"] == "Failed"
    assert done["message"].startswith(
        "Nothing was imported: caseload.csv, line 2, case_manager (column 'CaseManager'): 'nobody' is not"
    )
    assert _counts(world) == before and list(uploads.iterdir()) == []


def test_a_check_lists_the_links_it_would_suggest_row_by_row(world, login):
    client = login(world.users[Role.CASE_SUPERVISOR])
    rows = _rows(2, world.users[Role.CASE_MANAGER].username)
    rows[1][1:4] = ["Anna", "Lopez", "05/17/1980"]  # line 3: may be the program's Ana Lopez
    response = _post(client, rows)
    assert response.status_code == 200
    body = " ".join(html.unescape(response.content.decode()).split())
    assert "2 cases, 2 new people, 0 joined to people already known" in body
    assert "1 link suggested for review" in body
    assert (
        f"Line 3: a new person may be person {world.own_case.person_id} "
        "(same date of birth; first name differs by one letter)" in body
    )
