"""The public defender's legal coordination: the same consent gate as the prosecutor's, through a
consent naming the public defender's office; decisions (not the prosecutor's notes) are shown; the
defender's own notes are seen by the defender's office only; every view goes to the ledger."""

import datetime as dt

import pytest
from django.utils import timezone

from offramp.access.models import AuditEntry, Consent, Disclosure
from offramp.access.policy import CONSENT_GATED, MATRIX, Category, Scope
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.legal.actions import ERR_DEFENDER_NOTE_EMPTY, ERR_DEFENDER_NOTE_LONG
from offramp.legal.models import DEFENDER_NOTE_MAX, DefenderNote, ProsecutorNote
from offramp.legal.queries import SHOWN_DEFENDER


def _consent(case, recipient, *categories):
    with trusted("tests"):
        return Consent.objects.create(
            program=case.program,
            person=case.person,
            recipient_class=recipient,
            categories=list(categories),
            purpose="Legal coordination",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )


def _disclosures(case, recipient):
    with trusted("tests"):
        return list(Disclosure.objects.filter(person=case.person, recipient_class=recipient).order_by("pk"))


DEFENDER = Consent.Recipient.PUBLIC_DEFENDER


@pytest.fixture
def consented(world):
    _consent(world.own_case, DEFENDER, Category.STATUS, Category.LEGAL, Category.IDENTITY)
    return world


def test_the_defenders_row_of_the_matrix_is_legal_coordination_only_and_consent_gated():
    row = {category: MATRIX[category][Role.PUBLIC_DEFENDER] for category in Category.ALL}
    assert row == {
        **dict.fromkeys(Category.ALL, Scope.NONE),
        Category.IDENTITY: Scope.LIMITED,
        Category.LEGAL: Scope.LIMITED,
    }
    assert {
        (Role.PUBLIC_DEFENDER, Category.IDENTITY),
        (Role.PUBLIC_DEFENDER, Category.LEGAL),
    } <= CONSENT_GATED


def test_the_defender_lists_and_reads_only_under_a_consent_naming_their_office(consented, login):
    world = consented
    # The world's consents name the prosecutor's office: they never open the defender's view.
    _consent(
        world.other_case, Consent.Recipient.PROSECUTOR, Category.STATUS, Category.LEGAL, Category.IDENTITY
    )
    client = login(world.users[Role.PUBLIC_DEFENDER])
    listed = client.get("/legal/").content.decode()
    assert "Ana Lopez" in listed and "Ben Okoro" not in listed
    assert "consent to the public defender's office covers legal coordination" in listed
    page = client.get(f"/legal/{world.own_case.pk}/")
    assert page.status_code == 200
    assert "Legal coordination: Ana Lopez" in page.content.decode()
    assert "17 May 1980" in page.content.decode()
    [listing, reading] = _disclosures(world.own_case, DEFENDER)
    assert listing.categories == reading.categories == [Category.STATUS, Category.LEGAL, Category.IDENTITY]
    assert reading.description == SHOWN_DEFENDER
    assert reading.disclosed_to == world.users[Role.PUBLIC_DEFENDER]
    assert reading.notice and reading.recipient_class == DEFENDER
    assert not _disclosures(world.other_case, DEFENDER)
    read = AuditEntry.objects.get(action="read", object_type="Case", object_id=world.own_case.pk)
    assert read.detail == {"view": "legal_case", "side": DEFENDER}


def test_no_consent_answers_as_no_record_and_is_audited(consented, login):
    world = consented
    _consent(world.other_case, Consent.Recipient.PROSECUTOR, Category.STATUS, Category.LEGAL)
    client = login(world.users[Role.PUBLIC_DEFENDER])
    unconsented = client.get(f"/legal/{world.other_case.pk}/")
    missing = client.get("/legal/999999/")
    foreign = client.get(f"/legal/{world.foreign_case.pk}/")
    assert unconsented.status_code == missing.status_code == foreign.status_code == 404
    assert unconsented.content == missing.content == foreign.content
    refused = AuditEntry.objects.filter(outcome=AuditEntry.Outcome.NOT_FOUND, detail__view="legal_case")
    assert refused.count() == 3
    assert client.post(f"/legal/{world.other_case.pk}/defender-notes", {"note": "x"}).status_code == 404
    with trusted("tests"):
        assert not DefenderNote.objects.exists()


def test_a_consent_without_legal_opens_nothing(world, login):
    _consent(world.own_case, DEFENDER, Category.STATUS, Category.IDENTITY)
    client = login(world.users[Role.PUBLIC_DEFENDER])
    assert client.get(f"/legal/{world.own_case.pk}/").status_code == 404
    assert "Ana Lopez" not in client.get("/legal/").content.decode()
    assert not _disclosures(world.own_case, DEFENDER)


def test_without_identity_the_defender_sees_status_and_dates_only(world, login):
    _consent(world.own_case, DEFENDER, Category.STATUS, Category.LEGAL)
    page = login(world.users[Role.PUBLIC_DEFENDER]).get(f"/legal/{world.own_case.pk}/").content.decode()
    assert "A participant" in page and "Ana" not in page and "1980" not in page
    [disclosure] = _disclosures(world.own_case, DEFENDER)
    assert disclosure.categories == [Category.STATUS, Category.LEGAL]


def test_revocation_closes_the_view_at_once(consented, login):
    world = consented
    client = login(world.users[Role.PUBLIC_DEFENDER])
    assert client.get(f"/legal/{world.own_case.pk}/").status_code == 200
    with trusted("tests"):
        Consent.objects.filter(person=world.own_case.person, recipient_class=DEFENDER).update(
            revoked_at=timezone.now()
        )
    assert client.get(f"/legal/{world.own_case.pk}/").status_code == 404
    assert "Ana Lopez" not in client.get("/legal/").content.decode()
    assert client.post(f"/legal/{world.own_case.pk}/defender-notes", {"note": "x"}).status_code == 404


def test_the_defender_sees_the_prosecutors_decisions_and_dates_not_the_notes(consented, login):
    world = consented
    _consent(world.own_case, Consent.Recipient.PROSECUTOR, Category.STATUS, Category.LEGAL)
    prosecutor = login(world.users[Role.PROSECUTOR])
    url = f"/legal/{world.own_case.pk}/notes"
    assert (
        prosecutor.post(
            url, {"note": "Would accept a plea to the lesser count.", "decision": "hold"}
        ).status_code
        == 302
    )
    assert prosecutor.post(url, {"note": "Spoke to the arresting officer."}).status_code == 302
    defender = login(world.users[Role.PUBLIC_DEFENDER])
    response = defender.get(f"/legal/{world.own_case.pk}/")
    page, view = response.content.decode(), response.context["view"]
    assert "Hold (no filing decision yet)" in page
    assert "plea" not in page and "arresting officer" not in page
    assert view.notes == [] and [label for _, label in view.decisions] == ["Hold (no filing decision yet)"]
    assert "Save the note" in page and 'name="decision"' not in page  # the defender decides nothing
    assert defender.post(url, {"decision": "dismiss"}).status_code == 404  # decisions are the prosecutor's
    with trusted("tests"):
        assert ProsecutorNote.objects.count() == 2


def test_the_defenders_notes_are_audited_and_hidden_from_the_prosecutor_and_the_case_team(consented, login):
    world = consented
    _consent(world.own_case, Consent.Recipient.PROSECUTOR, Category.STATUS, Category.LEGAL)
    defender = login(world.users[Role.PUBLIC_DEFENDER])
    url = f"/legal/{world.own_case.pk}/defender-notes"
    empty = defender.post(url, {"note": "   "})
    assert empty.status_code == 400 and ERR_DEFENDER_NOTE_EMPTY in empty.content.decode()
    long = defender.post(url, {"note": "x" * (DEFENDER_NOTE_MAX + 1)})
    assert long.status_code == 400 and ERR_DEFENDER_NOTE_LONG in long.content.decode()
    assert defender.post(url, {"note": "Client wants treatment court."}).status_code == 302
    with trusted("tests"):
        note = DefenderNote.objects.get()
    assert (note.note, note.by, note.case) == (
        "Client wants treatment court.",
        world.users[Role.PUBLIC_DEFENDER],
        world.own_case,
    )
    created = AuditEntry.objects.get(action="create", object_type="DefenderNote")
    assert created.detail == {"case_id": world.own_case.pk} and str(created.object_id) == str(note.pk)
    assert "Client wants treatment court." in defender.get(f"/legal/{world.own_case.pk}/").content.decode()
    for role in (Role.PROSECUTOR, Role.CASE_MANAGER, Role.CASE_SUPERVISOR, Role.PROJECT_MANAGER):
        client = login(world.users[role])
        response = client.get(f"/legal/{world.own_case.pk}/")
        assert response.status_code == 200
        assert "treatment court" not in response.content.decode()
        assert response.context["view"].defender_notes == []
        assert client.post(url, {"note": "mine"}).status_code == 404
    with trusted("tests"):
        assert DefenderNote.objects.count() == 1


def test_the_prosecutors_consent_never_opens_the_defenders_view_nor_the_reverse(world, login):
    _consent(world.own_case, DEFENDER, Category.STATUS, Category.LEGAL)
    _consent(world.other_case, Consent.Recipient.PROSECUTOR, Category.STATUS, Category.LEGAL)
    defender = login(world.users[Role.PUBLIC_DEFENDER])
    assert defender.get(f"/legal/{world.own_case.pk}/").status_code == 200
    assert defender.get(f"/legal/{world.other_case.pk}/").status_code == 404
    prosecutor = login(world.users[Role.PROSECUTOR])
    assert prosecutor.get(f"/legal/{world.own_case.pk}/").status_code == 404
    assert prosecutor.get(f"/legal/{world.other_case.pk}/").status_code == 200


def test_the_defender_has_no_participant_lookup_nor_workgroup(world, login):
    client = login(world.users[Role.PUBLIC_DEFENDER])
    assert client.get("/lookup/").status_code == 404
    assert client.get("/workgroup/").status_code == 404
