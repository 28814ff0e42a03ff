"""The prosecutor's status lookup through the API: consent-gated, and "no consent" answers byte for byte
as "no record"; each disclosure goes to the ledger under the integration's name."""

from offramp.access.models import AuditEntry, Disclosure
from offramp.access.scope import trusted
from offramp.api import scopes
from tests.conftest import make_case

FIELDS = (
    "name",
    "date_of_birth",
    "status",
    "opened_at",
    "intake_completed_at",
    "status_changed_at",
    "notice",
    "consent_scope",
)


def test_no_consent_reads_exactly_like_no_record(world, issue, call):
    make_case(world.program, first="Nia", last="Vance", consent=False)  # a participant who did not consent
    token = issue(scopes.PROSECUTOR_STATUS)
    unconsented = call(
        "post", "participant-status", token, json={"last_name": "Vance", "date_of_birth": "1980-05-17"}
    )
    nobody = call(
        "post", "participant-status", token, json={"last_name": "Nobody", "date_of_birth": "1980-05-17"}
    )
    assert unconsented.status_code == nobody.status_code == 200
    assert unconsented.content == nobody.content == b'{"matches": []}'
    assert unconsented.headers == nobody.headers


def test_a_consented_participant_is_disclosed_with_the_notice_and_ledgered(world, issue, call):
    token = issue(scopes.PROSECUTOR_STATUS)
    answer = call(
        "post", "participant-status", token, json={"last_name": "Lopez", "date_of_birth": "1980-05-17"}
    ).json()
    [match] = answer["matches"]
    assert match["name"] == "Ana Lopez" and match["status"] == "Active"
    assert "42 CFR part 2" in match["notice"] and match["consent_scope"].startswith("Consent signed")
    assert set(match) == set(FIELDS)
    with trusted("test"):
        assert Disclosure.objects.filter(person=world.own_case.person).count() == 1
    disclosed = AuditEntry.objects.get(action="disclose")
    assert disclosed.actor_label == "integration:rms-0" and disclosed.actor_id is None


def test_another_programs_token_learns_nothing(world, issue, call):
    token = issue(scopes.PROSECUTOR_STATUS, program=world.other_program, name="elsewhere")
    answer = call(
        "post", "participant-status", token, json={"last_name": "Lopez", "date_of_birth": "1980-05-17"}
    )
    assert answer.json() == {"matches": []}


def test_the_status_reads_in_the_programs_own_wording(world, issue, call):
    world.program.configuration = {
        **(world.program.configuration or {}),
        "status_labels": {"active": "Engaged"},
    }
    world.program.save(update_fields=["configuration"])
    token = issue(scopes.PROSECUTOR_STATUS)
    answer = call(
        "post", "participant-status", token, json={"last_name": "Lopez", "date_of_birth": "1980-05-17"}
    ).json()
    assert [m["status"] for m in answer["matches"]] == ["Engaged"]
