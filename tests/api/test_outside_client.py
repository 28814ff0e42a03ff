"""An outside client that knows only the OpenAPI document: it finds each operation by its id, creates a
referral, reads its status and posts arrests over HTTP (no browser, no Django test client); the
eligible-but-booked list and the workgroup flag then show the arrests it posted."""

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from offramp.api import scopes
from offramp.api.actions import integration_issue
from offramp.programs.models import Agency
from offramp.programs.roles import Role
from offramp.referrals.actions import protocol_publish_example
from offramp.referrals.continuous_queries import eligible_booked
from offramp.workgroup.actions import meeting_create
from offramp.workgroup.queries import actor_for
from tests.api.test_referral_flow import REFERRAL
from tests.conftest import build_world


class Client:
    """What an integrator writes from the document alone."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json") as answer:  # noqa: S310  (the live server)
            self.document = json.load(answer)
        self.operations = {
            op["operationId"]: (method.upper(), path)
            for path, item in self.document["paths"].items()
            for method, op in item.items()
        }

    def __call__(self, operation: str, body=None, headers=None, **params):
        method, path = self.operations[operation]
        request = urllib.request.Request(  # noqa: S310
            self.base + path.format(**params),
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request) as answer:  # noqa: S310
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as refused:
            return refused.code, json.load(refused)


@pytest.mark.django_db(transaction=True)
def test_an_outside_client_refers_reads_and_posts_arrests(live_server):
    world = build_world()
    protocol_publish_example(program=world.program)
    agency = Agency.objects.get(program=world.program, name="Test PD")
    _integration, token = integration_issue(
        actor=actor_for(world.users[Role.SYSTEM_ADMIN], world.program),
        name="county-rms",
        scopes=[scopes.REFERRALS_WRITE, scopes.REFERRALS_READ, scopes.ARRESTS_WRITE],
        days=30,
        agency_id=agency.pk,
    )
    client = Client(live_server.url, token)

    status, made = client("referral_create", REFERRAL, headers={"Idempotency-Key": "outside-1"})
    assert status == 201 and made["accepted"] is True
    status, read = client("referral_status", referral_id=made["id"])
    assert status == 200 and read == made

    two_days_ago = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    arrests = [
        {"incident_number": "R-100", "statute": "RCW 69.50.4013", "incident_date": two_days_ago},
        {
            "incident_number": REFERRAL["incident_number"],
            "statute": "RCW 69.50.4013",
            "incident_date": two_days_ago,
        },
    ]
    status, result = client("arrests_post", {"arrests": arrests})
    assert status == 201 and (result["eligible"], result["diverted"], result["missed"]) == (2, 1, 1)
    status, problem = client("arrests_post", {"arrests": [{"incident_number": "R-101"}]})
    assert status == 422 and {e["field"] for e in problem["errors"]} == {
        "arrests.0.statute",
        "arrests.0.incident_date",
    }

    manager = actor_for(world.users[Role.PROJECT_MANAGER], world.program)
    booked = eligible_booked(manager)
    assert [a.incident_number for a in booked["arrests"]] == ["R-100"]
    now = timezone.now()
    meeting = meeting_create(actor=manager, held_on=timezone.localdate(now), now=now)
    assert meeting.eligible_booked == 1
