"""Project managers load and download the directory from its page and from the command line."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from offramp.access.models import AuditEntry
from offramp.directory.models import Service
from offramp.directory.synthetic import directory_document
from offramp.programs.roles import Role
from tests.standards import standard_file


def _upload(name: str, content: bytes):
    return {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")}


def test_it_loads_an_upload_for_a_project_manager(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    body = json.dumps(directory_document()).encode()
    response = client.post(reverse("directory:manage"), _upload("harbor.json", body), follow=True)
    assert "Loaded harbor.json" in response.content.decode()
    assert Service.objects.filter(program=world.program).count() == 20


def test_it_shows_why_an_upload_was_refused(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    service = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "S", "status": "closed"}
    doc = {
        "id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        "name": "A",
        "description": "B",
        "services": [service],
    }
    response = client.post(reverse("directory:manage"), _upload("bad.json", json.dumps(doc).encode()))
    assert response.status_code == 200
    assert "bad.json, $.services[0].status: must be one of" in response.content.decode()
    assert not Service.objects.exists()


def test_it_downloads_both_forms_as_an_audited_zip(world, login):
    client = login(world.users[Role.PROJECT_MANAGER])
    client.post(
        reverse("directory:manage"), _upload("harbor.json", json.dumps(directory_document()).encode())
    )
    for kind, member in (("csv", "services.csv"), ("json", "organizations.json")):
        response = client.get(reverse("directory:export") + f"?format={kind}")
        assert response["Content-Type"] == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert member in names
        entry = AuditEntry.objects.order_by("-id").first()
        assert (entry.action, entry.object_type, entry.actor) == (
            "export",
            "Directory",
            world.users[Role.PROJECT_MANAGER],
        )


def test_it_refuses_the_upload_page_to_other_roles(world, login):
    for role in (Role.CASE_MANAGER, Role.CASE_SUPERVISOR, Role.OFFICER):
        client = login(world.users[role])
        assert client.post(reverse("directory:manage"), _upload("x.json", b"[]")).status_code == 404
        assert client.get(reverse("directory:export")).status_code == 404


def test_it_imports_and_exports_from_the_command_line(world, tmp_path):
    call_command(
        "directory",
        "import",
        str(standard_file("hsds-3.0", "examples", "service_full.json")),
        program=world.program.slug,
        stdout=io.StringIO(),
    )
    for kind in ("csv", "json"):
        call_command(
            "directory",
            "export",
            str(tmp_path / kind),
            program=world.program.slug,
            format=kind,
            stdout=io.StringIO(),
        )
    assert "Community Counselling" in (tmp_path / "csv" / "services.csv").read_text()
    organizations = json.loads((tmp_path / "json" / "organizations.json").read_text())
    assert organizations["contents"][0]["services"][0]["name"] == "Community Counselling"
