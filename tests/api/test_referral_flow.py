"""An integration creates a referral (idempotently), reads its status, and nothing leaks across agencies."""

import datetime as dt

from offramp.access.models import AuditEntry
from offramp.access.scope import trusted
from offramp.api import scopes
from offramp.referrals.models import Referral

REFERRAL = {
    "first_name": "Dana",
    "last_name": "Whitfield",
    "date_of_birth": "1988-04-02",
    "door": "arrest",
    "statute": "RCW 69.50.4013",
    "quantity_grams": 1.5,
    "substance": "heroin",
    "incident_number": "26-API-0001",
    "history": {"violent": "clear"},
    "flags": {"exploits_minors": False, "promotes_prostitution": False, "amenable": True},
}


def test_it_creates_a_referral_once_per_idempotency_key(world, protocol, issue, call):
    token = issue(scopes.REFERRALS_WRITE, scopes.REFERRALS_READ)
    first = call("post", "referrals", token, json=REFERRAL, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == 201, first.content
    again = call("post", "referrals", token, json=REFERRAL, **{"Idempotency-Key": "abc-1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    with trusted("test"):
        assert Referral.objects.filter(incident_number="26-API-0001").count() == 1
    body = first.json()
    assert set(body) == {
        "id",
        "door",
        "incident_number",
        "referred_at",
        "decision",
        "accepted",
        "intake_completed_on",
        "open",
    }
    assert body["accepted"] is True and body["open"] is True and body["intake_completed_on"] is None
    status = call("get", f"referrals/{body['id']}", token)
    assert status.status_code == 200
    assert status.json() == body
    labels = set(AuditEntry.objects.filter(action="api_call").values_list("actor_label", flat=True))
    assert labels == {"integration:rms-0"}


def test_it_refuses_a_missing_key_naming_the_header(world, protocol, issue, call):
    token = issue(scopes.REFERRALS_WRITE)
    response = call("post", "referrals", token, json=REFERRAL)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert any("idempotency-key" in e["field"].lower() for e in response.json()["errors"])


def test_it_names_the_field_of_a_bad_value_and_changes_nothing(world, protocol, issue, call):
    token = issue(scopes.REFERRALS_WRITE)
    bad = {**REFERRAL, "date_of_birth": "not a date"}
    response = call("post", "referrals", token, json=bad, **{"Idempotency-Key": "k2"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["date_of_birth"]
    with trusted("test"):
        assert not Referral.objects.filter(incident_number="26-API-0001").exists()


def test_another_agency_reads_no_status(world, protocol, issue, call):
    token = issue(scopes.REFERRALS_WRITE, scopes.REFERRALS_READ)
    made = call("post", "referrals", token, json=REFERRAL, **{"Idempotency-Key": "k3"}).json()
    foreign = issue(scopes.REFERRALS_READ, program=world.other_program, name="elsewhere-rms")
    assert call("get", f"referrals/{made['id']}", foreign).status_code == 404
    # The program's own form-made referrals are not the agency's either.
    assert call("get", f"referrals/{world.own_case.referral_id}", token).status_code == 404


def test_an_ineligible_referral_is_refused_naming_the_statute(world, protocol, issue, call):
    token = issue(scopes.REFERRALS_WRITE)
    bad = {**REFERRAL, "statute": "RCW 9A.36.011"}
    response = call("post", "referrals", token, json=bad, **{"Idempotency-Key": "k4"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "statute"


def test_referred_at_is_now(world, protocol, issue, call):
    token = issue(scopes.REFERRALS_WRITE)
    body = call("post", "referrals", token, json=REFERRAL, **{"Idempotency-Key": "k5"}).json()
    at = dt.datetime.fromisoformat(body["referred_at"])
    assert abs((dt.datetime.now(dt.UTC) - at).total_seconds()) < 60
