"""Malformed HSDS files get one clear error, on the directory page and from `offramp directory import`;
the directory is unchanged."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offramp.directory.models import MODELS
from offramp.programs.roles import Role
from tests.files.malformed import DEEP_JSON, NOT_A_ZIP, refused_by_cli

ORG = {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "A", "description": "B"}
MALFORMED = [
    ("hsds.zip", NOT_A_ZIP, "hsds.zip: is not a zip archive"),
    ("deep.json", DEEP_JSON.encode(), "deep.json: nests deeper than 32 levels"),
    ("nul.json", json.dumps({**ORG, "name": "A\x00"}).encode(), "nul.json, name: contains a NUL character"),
    ("raw.json", json.dumps(ORG).encode() + b"\x00", "raw.json: contains a NUL character (line 1)"),
    (
        "big.json",
        json.dumps({**ORG, "year_incorporated": 10**30}).encode(),
        "big.json, year_incorporated: is too large a number",
    ),
    (
        "inf.json",
        json.dumps({**ORG, "year_incorporated": 1e400}).encode(),
        "inf.json, year_incorporated: is not a finite number",
    ),
]


def rows() -> dict:
    return {name: model.objects.count() for name, model in MODELS.items()}


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED)
def test_the_page_refuses_a_malformed_file_and_changes_nothing(world, login, name, content, message):
    client = login(world.users[Role.PROJECT_MANAGER])
    before = rows()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(reverse("directory:manage"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert rows() == before


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED)
def test_the_command_refuses_a_malformed_file_in_one_line(world, tmp_path, capsys, name, content, message):
    (tmp_path / name).write_bytes(content)
    before = rows()
    line = refused_by_cli(
        capsys, "directory", "import", str(tmp_path / name), "--program", world.program.slug
    )
    assert line.startswith(f"CommandError: 1 problem(s); nothing was loaded: {message}")
    assert rows() == before
