"""Legal coordination: the prosecutor sees a participant only under consent covering legal coordination,
no consent reads as no record, every view goes to the disclosure ledger, the statement is the case
team's, notes and decisions are the prosecutor's, and case notes never show."""

import datetime as dt

import pytest
from django.utils import timezone

from offramp.access.models import AuditEntry, Consent, Disclosure
from offramp.access.policy import Category
from offramp.access.roles import Role
from offramp.access.scope import trusted
from offramp.analysis.models import ImportBatch, LegalEvent, Subject, SubjectLink
from offramp.cases.models import Contact
from offramp.legal.actions import ERR_DECISION, ERR_NOTE_EMPTY
from offramp.legal.models import LegalStatement, ProsecutorNote


def _consent(case, *categories):
    with trusted("tests"):
        return Consent.objects.create(
            program=case.program,
            person=case.person,
            recipient_class=Consent.Recipient.PROSECUTOR,
            categories=list(categories),
            purpose="Legal coordination",
            signed_at=timezone.now() - dt.timedelta(days=1),
        )


def _disclosures(case):
    with trusted("tests"):
        return list(Disclosure.objects.filter(person=case.person).order_by("pk"))


@pytest.fixture
def consented(world):
    _consent(world.own_case, Category.STATUS, Category.LEGAL, Category.IDENTITY)
    return world


def test_the_prosecutor_lists_only_consented_participants_and_each_view_is_disclosed(consented, login):
    world = consented
    page = login(world.users[Role.PROSECUTOR]).get("/legal/").content.decode()
    assert "Ana Lopez" in page
    assert "Ben Okoro" not in page and "A participant" not in page  # consent covers status only
    [disclosure] = _disclosures(world.own_case)
    assert disclosure.categories == [Category.STATUS, Category.LEGAL, Category.IDENTITY]
    assert not _disclosures(world.other_case)


def test_no_consent_answers_as_no_record(consented, login):
    world = consented
    client = login(world.users[Role.PROSECUTOR])
    unconsented = client.get(f"/legal/{world.other_case.pk}/")
    missing = client.get("/legal/999999/")
    foreign = client.get(f"/legal/{world.foreign_case.pk}/")
    assert unconsented.status_code == missing.status_code == foreign.status_code == 404
    assert unconsented.content == missing.content
    refused = AuditEntry.objects.filter(outcome=AuditEntry.Outcome.NOT_FOUND, detail__view="legal_case")
    assert refused.count() == 3


def test_without_identity_the_prosecutor_sees_status_and_dates_only(world, login):
    _consent(world.own_case, Category.STATUS, Category.LEGAL)
    page = login(world.users[Role.PROSECUTOR]).get(f"/legal/{world.own_case.pk}/").content.decode()
    assert "A participant" in page and "Ana" not in page and "1980" not in page
    [disclosure] = _disclosures(world.own_case)
    assert disclosure.categories == [Category.STATUS, Category.LEGAL]


def test_the_case_manager_writes_the_statement_the_prosecutor_reads_never_case_notes(consented, login):
    world = consented
    with trusted("tests"):
        Contact.objects.create(
            program=world.program,
            case=world.own_case,
            kind="phone",
            at=timezone.now(),
            note="Private case note",
        )
    manager = login(world.users[Role.CASE_MANAGER])
    assert manager.post(f"/legal/{world.own_case.pk}/statement", {"text": "  "}).status_code == 400
    response = manager.post(
        f"/legal/{world.own_case.pk}/statement", {"text": "Housed since May; goals on track."}
    )
    assert response.status_code == 302
    assert manager.post(f"/legal/{world.other_case.pk}/statement", {"text": "x"}).status_code == 404
    page = login(world.users[Role.PROSECUTOR]).get(f"/legal/{world.own_case.pk}/").content.decode()
    assert "Housed since May; goals on track." in page
    assert "Private case note" not in page
    assert "Save the statement" not in page  # the prosecutor does not write it
    with trusted("tests"):
        assert LegalStatement.objects.get().written_by == world.users[Role.CASE_MANAGER]
    assert AuditEntry.objects.filter(action="create", object_type="LegalStatement").count() == 1


def test_the_prosecutor_notes_and_decides_audited_and_the_case_team_sees_it(consented, login):
    world = consented
    prosecutor = login(world.users[Role.PROSECUTOR])
    url = f"/legal/{world.own_case.pk}/notes"
    bad = prosecutor.post(url, {"note": "", "decision": "convict"})
    assert bad.status_code == 400 and ERR_DECISION in bad.content.decode().replace("&#x27;", "'")
    assert ERR_NOTE_EMPTY.split(":")[0] in prosecutor.post(url, {}).content.decode()
    assert (
        prosecutor.post(url, {"note": "Charge held pending intake.", "decision": "dismiss"}).status_code
        == 302
    )
    assert prosecutor.post(f"/legal/{world.other_case.pk}/notes", {"decision": "hold"}).status_code == 404
    with trusted("tests"):
        note = ProsecutorNote.objects.get()
    assert (note.decision, note.by) == ("dismiss", world.users[Role.PROSECUTOR])
    assert AuditEntry.objects.filter(object_type="ProsecutorNote", detail__decision="dismiss").count() == 1
    manager = login(world.users[Role.CASE_MANAGER])
    assert "Dismiss" in manager.get("/legal/").content.decode()
    assert manager.post(url, {"decision": "hold"}).status_code == 404  # notes are the prosecutor's


def test_a_revoked_consent_closes_the_view(consented, login):
    world = consented
    client = login(world.users[Role.PROSECUTOR])
    assert client.get(f"/legal/{world.own_case.pk}/").status_code == 200
    with trusted("tests"):
        Consent.objects.filter(person=world.own_case.person).update(revoked_at=timezone.now())
    assert client.get(f"/legal/{world.own_case.pk}/").status_code == 404
    assert "Ana Lopez" not in client.get("/legal/").content.decode()


def test_it_shows_legal_events_after_the_referral_from_accepted_links_only(consented, login):
    world = consented
    case = world.own_case
    with trusted("tests"):
        batch = ImportBatch.objects.create(
            program=world.program, table="events", file_name="x.csv", sha256="0", rows=3, mapping=""
        )
        linked = Subject.objects.create(program=world.program, batch=batch, source_id="S1", arm="lead")
        other = Subject.objects.create(program=world.program, batch=batch, source_id="S2", arm="lead")
        SubjectLink.objects.create(
            program=world.program,
            subject=linked,
            person=case.person,
            method="identifier",
            score=1,
            status="accepted",
        )
        SubjectLink.objects.create(
            program=world.program,
            subject=other,
            person=case.person,
            method="name_dob",
            score=0.9,
            status="rejected",
        )
        after = (case.opened_at + dt.timedelta(days=5)).date()
        LegalEvent.objects.create(
            program=world.program, batch=batch, subject=linked, kind="arrest", date=after
        )
        LegalEvent.objects.create(
            program=world.program,
            batch=batch,
            subject=linked,
            kind="booking",
            date=case.opened_at.date() - dt.timedelta(days=30),
        )
        LegalEvent.objects.create(
            program=world.program, batch=batch, subject=other, kind="prison", date=after
        )
    view = login(world.users[Role.PROSECUTOR]).get(f"/legal/{case.pk}/").context["view"]
    assert view.events == [("Arrest", after, None)]
