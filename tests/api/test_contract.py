"""The committed OpenAPI document is the code's, and the live server keeps to it (schemathesis)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from offramp.api.service import api
from tests.conftest import build_world

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"


def test_the_committed_document_is_the_codes():
    committed = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"))), (
        "docs/openapi.json differs from the API: run `offramp api-schema` and commit it"
    )
    call_command("api-schema", str(DOCUMENT), check=True)


def test_the_served_document_is_the_committed_one(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_the_check_fails_on_a_stale_document(tmp_path):
    stale = tmp_path / "openapi.json"
    stale.write_text(DOCUMENT.read_text(encoding="utf-8").replace('"referral_create"', '"renamed"'))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not match"):
        call_command("api-schema", str(stale), check=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, tmp_path):
    from offramp.api import scopes
    from offramp.api.actions import integration_issue
    from offramp.programs.models import Agency
    from offramp.programs.roles import Role
    from offramp.referrals.actions import protocol_publish_example
    from offramp.workgroup.queries import actor_for

    world = build_world()
    protocol_publish_example(program=world.program)
    agency = Agency.objects.get(program=world.program, name="Test PD")
    _integration, token = integration_issue(
        actor=actor_for(world.users[Role.SYSTEM_ADMIN], world.program),
        name="contract",
        scopes=list(scopes.ALL),
        days=1,
        agency_id=agency.pk,
        rate_per_minute=10_000,
    )
    report = tmp_path / "report.json"
    result = subprocess.run(  # noqa: S603  (our own venv's schemathesis against our own live server)
        [
            str(Path(sys.executable).with_name("st")),
            "run",
            str(DOCUMENT),
            "--url",
            live_server.url,
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
            "--max-examples",
            "15",
            "--seed",
            "15",
            "--generation-deterministic",
            "--phases",
            "examples,coverage,fuzzing",
            "--report-json-path",
            str(report),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
