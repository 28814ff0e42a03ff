"""Retention of non-arrest records: the policy's dry run lists and changes nothing; applying removes
identifying details, keeps the de-identified counts, writes one audit entry per person, leaves the
audit chain verifying, and stops at a legal hold."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor, trusted
from offramp.cases.models import Case, Contact, Status
from offramp.documents.models import Document
from offramp.people.models import Alias, Person
from offramp.privacy.queries import deidentified_export
from offramp.programs.roles import Role
from offramp.retention import rules
from offramp.retention.models import LegalHold, Removal
from offramp.retention.tasks import retention_daily
from tests.conftest import make_case

NOW = timezone.now()


def _ended(case, *, days_ago, intake=True):
    """Exit the case `days_ago` days ago, after intake or (a lapsed referral) without one."""
    with trusted("tests"):
        Case.objects.filter(pk=case.pk).update(
            status=Status.EXITED,
            exit_reason="goals_met" if intake else "intake_not_completed",
            intake_completed_at=(NOW - dt.timedelta(days=days_ago + 30)) if intake else None,
            status_changed_at=NOW - dt.timedelta(days=days_ago),
        )


@pytest.fixture
def site(world):
    """A policy (lapsed referrals after 90 days, closed cases after 7 years) and a case of each kind."""
    program = world.program
    program.configuration = {"retention_lapsed_referral_days": 90, "retention_closed_case_years": 7}
    program.save()
    manager = world.users[Role.CASE_MANAGER]
    lapsed = make_case(program, manager=manager, first="Lena", last="Lapsed", status=Status.REFERRED)
    _ended(lapsed, days_ago=120, intake=False)
    closed = make_case(program, manager=manager, first="Carl", last="Closed", dob=dt.date(1961, 7, 9))
    _ended(closed, days_ago=8 * 366)
    recent = make_case(program, manager=manager, first="Rita", last="Recent")
    _ended(recent, days_ago=400)
    held = make_case(program, manager=manager, first="Hal", last="Held", status=Status.REFERRED)
    _ended(held, days_ago=200, intake=False)
    with trusted("tests"):
        Person.objects.filter(pk=lapsed.person_id).update(
            phone="555-0100", whereabouts="Under the 5th Ave bridge", emergency_contact_name="Mo Lapsed"
        )
        Alias.objects.create(program=program, person_id=lapsed.person_id, first_name="Lee", last_name="L")
        Contact.objects.filter(case=lapsed).update(
            note="Talked about her sister in Tacoma", location="Pier 3"
        )
        Document.objects.create(
            program=program,
            case=lapsed,
            kind="letter",
            name="letter.txt",
            content_type="text/plain",
            size=5,
            content=b"hello",
            uploaded_at=NOW,
        )
        LegalHold.objects.create(
            program=program, person_id=held.person_id, case=held, reason="Suit", set_at=NOW
        )
    for case in (lapsed, closed, recent, held):
        case.refresh_from_db()
    return {"lapsed": lapsed, "closed": closed, "recent": recent, "held": held}


def _person(case) -> Person:
    with trusted("tests"):
        return Person.objects.get(pk=case.person_id)


def _export(world):
    rows = deidentified_export(Actor.system("tests", world.program), stable_ids=True)
    columns = ("research_id", "case_status", "exit_reason", "intake_completed", "days_to_intake", "contacts")
    return sorted(tuple(r[c] for c in columns) for r in rows)


def test_the_dry_run_lists_who_would_go_and_changes_nothing(world, site, capsys):
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"person {site['lapsed'].person_id}: lapsed referral" in out
    assert f"person {site['closed'].person_id}: closed case" in out
    assert f"person {site['held'].person_id}: held" in out
    for kept in ("recent", "held"):
        assert f"person {site[kept].person_id}: lapsed" not in out
        assert f"person {site[kept].person_id}: closed" not in out
    assert f"person {world.own_case.person_id}:" not in out  # an open case stays
    assert "Lapsed" not in out and "Closed" not in out  # record numbers, never names
    assert _person(site["lapsed"]).legal_last_name == "Lapsed"
    with trusted("tests"):
        assert not Removal.objects.exists()


def test_applying_removes_identifying_details_and_keeps_the_counts(world, site, capsys):
    before = _export(world)
    call_command("retention", "--apply")
    assert "removed the identifying details of 2 people; 1 kept by a legal hold" in capsys.readouterr().out
    lapsed, closed = _person(site["lapsed"]), _person(site["closed"])
    for person in (lapsed, closed):
        assert (person.legal_first_name, person.legal_last_name, person.preferred_name) == (
            "",
            "(removed)",
            "",
        )
        assert person.date_of_birth.month == person.date_of_birth.day == 1  # the year only
    assert closed.date_of_birth == dt.date(1961, 1, 1)
    assert (lapsed.phone, lapsed.whereabouts, lapsed.emergency_contact_name) == ("", "", "")
    with trusted("tests"):
        assert not Alias.objects.filter(person=lapsed).exists()
        assert not Document.objects.filter(case=site["lapsed"]).exists()
        assert list(Contact.objects.filter(case=site["lapsed"]).values_list("note", "location")) == [("", "")]
        assert Removal.objects.get(person=lapsed).counts == {
            "aliases": 1,
            "documents": 1,
            "contacts": 1,
            "status_changes": 1,
            "referrals": 1,
        }
    for kept in ("recent", "held"):
        assert _person(site[kept]).legal_first_name != ""
    assert _export(world) == before  # the evaluation counts the same people, cases, exits, contacts
    entries = AuditEntry.objects.filter(action="delete", object_type="Person").order_by("seq")
    assert [(e.object_id, e.detail["retention"]) for e in entries] == sorted(
        [(str(lapsed.pk), "lapsed_referral"), (str(closed.pk), "closed_case")]
    )
    call_command("audit", "verify")
    assert "Audit chain intact" in capsys.readouterr().out


def test_applying_again_removes_nobody_twice(world, site, capsys):
    call_command("retention", "--apply")
    count = AuditEntry.objects.filter(action="delete").count()
    call_command("retention", "--apply")
    assert "removed the identifying details of 0 people" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="delete").count() == count


def test_nothing_goes_without_a_policy(world, site, capsys):
    world.program.configuration = {}
    world.program.save()
    call_command("retention", "--dry-run", "--program", world.program.slug)
    assert "no retention policy set; nothing would go" in capsys.readouterr().out
    call_command("retention", "--apply")
    assert _person(site["lapsed"]).legal_last_name == "Lapsed"


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_applies_every_programs_policy(world, site):
    retention_daily.enqueue(now=(NOW + dt.timedelta(days=1)).isoformat(), reschedule=False)
    call_command("worker", batch=True, verbosity=0)
    with trusted("tests"):
        removed = set(Removal.objects.values_list("person_id", flat=True))
    assert removed == {site["lapsed"].person_id, site["closed"].person_id}


def test_a_project_manager_sets_and_releases_a_hold_on_a_page(world, site, login, capsys):
    client = login(world.users[Role.PROJECT_MANAGER])
    recent = site["recent"]
    response = client.post(reverse("retention:holds"), {"case": recent.pk, "reason": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("retention:holds"), {"case": recent.pk, "reason": "Records request 26-114"}
    )
    assert response.status_code == 302
    again = client.post(reverse("retention:holds"), {"case": recent.pk, "reason": "Again"})
    assert "already on legal hold" in again.content.decode()
    foreign = client.post(reverse("retention:holds"), {"case": world.foreign_case.pk, "reason": "x"})
    assert foreign.status_code == 404
    page = client.get(reverse("retention:holds")).content.decode()
    assert "Records request 26-114" in page and "Rita Recent" in page
    with trusted("tests"):
        hold = LegalHold.objects.get(person_id=recent.person_id)
        held = LegalHold.objects.get(person_id=site["held"].person_id)
    assert AuditEntry.objects.filter(
        object_type="LegalHold", action="create", object_id=str(hold.pk)
    ).exists()
    response = client.post(reverse("retention:hold_release", args=[held.pk]), {"reason": "Case settled"})
    assert response.status_code == 302
    call_command("retention", "--dry-run")
    assert f"person {site['held'].person_id}: lapsed referral" in capsys.readouterr().out


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROJECT_MANAGER])
def test_only_a_project_manager_sets_a_hold(world, site, login, role):
    client = login(world.users[role])
    response = client.post(reverse("retention:holds"), {"case": site["recent"].pk, "reason": "x"})
    assert response.status_code == 404
    with trusted("tests"):
        assert not LegalHold.objects.filter(person_id=site["recent"].person_id).exists()


def test_the_rule_waits_for_every_record_of_a_person():
    day = dt.date(2030, 6, 1)
    lapsed = rules.Record(1, 10, open=False, intake_done=False, ended_on=dt.date(2030, 1, 1))
    still_open = rules.Record(1, 11, open=True, intake_done=True, ended_on=dt.date(2029, 1, 1))
    assert rules.people_due([lapsed, still_open], today=day, lapsed_days=30, closed_years=1) == []
    assert [
        d.person_id for d in rules.people_due([lapsed], today=day, lapsed_days=30, closed_years=None)
    ] == [1]
    assert rules.people_due([lapsed], today=day, lapsed_days=None, closed_years=1) == []
    assert rules.add_years(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)
