"""Every API operation x every scope x (own program, other program), from the OpenAPI document.

An operation answers 401 without a current token, 403 to a token lacking its scope, and works with
it; a token of another program never sees this program's records (404). A new operation fails
`test_it_knows_every_operation` until it is added here.
"""

import json
from pathlib import Path

import pytest

from offramp.api import scopes

DOCUMENT = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())
ARRESTS = {
    "arrests": [{"incident_number": "M-1", "statute": "RCW 69.50.4013", "incident_date": "2026-01-05"}]
}
STATUS = {"last_name": "Lopez", "date_of_birth": "1980-05-17"}
FACTS = {"door": "arrest", "statute": "RCW 69.50.4013"}
# operationId -> (scope, method, path, body, success status)
OPERATIONS = {
    "eligibility_preview": (scopes.ELIGIBILITY, "post", "eligibility/preview", FACTS, 200),
    "referral_create": (scopes.REFERRALS_WRITE, "post", "referrals", None, 201),
    "referral_status": (scopes.REFERRALS_READ, "get", "referrals/{referral}", None, 200),
    "participant_status": (scopes.PROSECUTOR_STATUS, "post", "participant-status", STATUS, 200),
    "arrests_post": (scopes.ARRESTS_WRITE, "post", "arrests", ARRESTS, 201),
    "legal_events_post": (scopes.LEGAL_EVENTS_WRITE, "post", "legal-events", None, 201),
    "hsds_root": (scopes.DIRECTORY_READ, "get", "hsds/", None, 200),
    **{
        f"hsds_{plural}": (scopes.DIRECTORY_READ, "get", f"hsds/{plural}", None, 200)
        for plural in ("services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms")
    },
    **{
        f"hsds_{table}": (scopes.DIRECTORY_READ, "get", f"hsds/{plural}/{{{table}}}", None, 200)
        for table, plural in (
            ("service", "services"),
            ("organization", "organizations"),
            ("service_at_location", "service_at_locations"),
            ("taxonomy", "taxonomies"),
            ("taxonomy_term", "taxonomy_terms"),
        )
    },
}
# Operations that read one record of the program: another program's token gets 404.
RECORDS = {op for op, (_s, _m, path, _b, _c) in OPERATIONS.items() if "{" in path}


def test_it_knows_every_operation():
    ids = {o["operationId"] for item in DOCUMENT["paths"].values() for o in item.values()}
    assert ids == set(OPERATIONS)


@pytest.fixture
def records(world, protocol, tmp_path):
    """One referral made by the API and one directory record of each kind, in the world's program."""
    from offramp.analysis.actions import records_import
    from offramp.directory.actions import directory_import
    from offramp.programs.roles import Role
    from offramp.workgroup.queries import actor_for

    found = {}
    manager = actor_for(world.users[Role.PROJECT_MANAGER], world.program)
    example = Path(__file__).resolve().parents[3] / "shared" / "standards" / "hsds-3.0" / "examples"
    directory_import(actor=manager, path=example / "organization_full.json")
    from offramp.directory.queries import directory_rows

    rows = directory_rows(manager, purpose="test")
    for table in ("service", "organization", "service_at_location", "taxonomy", "taxonomy_term"):
        found[table] = rows[table][0]["id"]
    people = tmp_path / "people.csv"
    people.write_text("source_id,arm\nP1,lead\n")
    records_import(
        actor=manager,
        path=people,
        mapping_text='[file]\ntable = "people"\n[columns]\nsource_id = "source_id"\narm = "arm"\n',
    )
    return found


def _request(call, op, token, records, n=0):
    from tests.api.test_referral_flow import REFERRAL

    scope, method, path, body, _status = OPERATIONS[op]
    path = path.format(**records)
    headers = {}
    if op == "referral_create":
        body = {**REFERRAL, "incident_number": f"26-M-{n}"}
        headers["Idempotency-Key"] = f"matrix-{n}"
    if op == "legal_events_post":
        body = {"events": [{"source_id": "P1", "kind": "arrest", "date": "2026-01-02"}]}
    return call(method, path, token, json=body, **headers)


@pytest.mark.parametrize("op", sorted(OPERATIONS))
def test_each_operation_needs_a_token_and_its_scope(op, world, records, issue, call):
    scope = OPERATIONS[op][0]
    if op == "referral_status":
        made = _request(call, "referral_create", issue(scopes.REFERRALS_WRITE, name="maker"), records, 1)
        records = {**records, "referral": made.json()["id"]}
    assert _request(call, op, None, records).status_code == 401
    for other in scopes.ALL:
        if other == scope:
            continue
        refused = _request(call, op, issue(other, name=f"only-{other}"), records)
        assert refused.status_code == 403, (op, other, refused.content)
        assert refused["Content-Type"] == "application/problem+json"
    # For referral_status: the status is the referring agency's, and this token acts for the same agency.
    token = issue(scope, name=f"with-{scope}")
    ok = _request(call, op, token, records, 2)
    assert ok.status_code == OPERATIONS[op][4], (op, ok.content)
    if op in RECORDS:
        foreign = issue(scope, program=world.other_program, name=f"foreign-{scope}")
        assert _request(call, op, foreign, records).status_code == 404


def test_a_revoked_or_expired_token_is_refused(world, protocol, issue, call):
    import datetime as dt

    from django.utils import timezone

    from offramp.api.actions import integration_revoke
    from offramp.api.models import Integration
    from offramp.programs.roles import Role
    from offramp.workgroup.queries import actor_for

    token = issue(scopes.ELIGIBILITY, name="soon-revoked")
    assert call("post", "eligibility/preview", token, json=FACTS).status_code == 200
    integration = Integration.objects.get(name="soon-revoked")
    integration_revoke(
        actor=actor_for(world.users[Role.SYSTEM_ADMIN], world.program), integration_id=integration.pk
    )
    assert call("post", "eligibility/preview", token, json=FACTS).status_code == 401
    expiring = issue(scopes.ELIGIBILITY, name="expiring")
    Integration.objects.filter(name="expiring").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call("post", "eligibility/preview", expiring, json=FACTS).status_code == 401


def test_the_rate_limit_is_per_token(world, protocol, issue, call):
    slow = issue(scopes.ELIGIBILITY, name="slow", rate=3)
    other = issue(scopes.ELIGIBILITY, name="other", rate=3)
    answers = [call("post", "eligibility/preview", slow, json=FACTS).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert call("post", "eligibility/preview", other, json=FACTS).status_code == 200


def test_a_session_cookie_is_no_credential(world, protocol, login, call):
    from offramp.programs.roles import Role

    login(world.users[Role.SYSTEM_ADMIN])
    response = call("post", "eligibility/preview", None, json=FACTS)
    assert response.status_code == 401
    assert "Set-Cookie" not in response
