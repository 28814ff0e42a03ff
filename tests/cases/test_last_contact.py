"""A case's stored last contact follows its contacts: recording one, the program import, the demo seed,
and the migration's fill all leave it equal to the latest successful contact."""

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone

from offramp.access.scope import Actor, trusted
from offramp.bulk.actions import program_import
from offramp.cases.actions import contact_record
from offramp.cases.last_contact import last_contact_fill, last_contact_refresh
from offramp.cases.models import Case, Contact
from offramp.demo.generator import seed_program
from offramp.programs.roles import Role
from tests.bulk.test_contacts_and_spreadsheets import _contacts, _supervisor
from tests.bulk.test_program_import import EXAMPLE, _rows, _write
from tests.conftest import make_case


def _manager(world):
    user = world.users[Role.CASE_MANAGER]
    return Actor(user=user, program=world.program, roles=frozenset({Role.CASE_MANAGER}))


def _stored(case):
    with trusted("tests"):
        return Case.objects.get(pk=case.pk).last_contact_at


def _mismatches(cases):
    """Cases whose stored last contact is not their latest successful contact (by a query of its own)."""
    with trusted("tests"):
        computed = cases.annotate(latest=Max("contacts__at", filter=Q(contacts__successful=True)))
        return [(c.pk, c.last_contact_at, c.latest) for c in computed if c.last_contact_at != c.latest]


def test_recording_a_contact_sets_it_and_an_attempt_or_an_older_contact_does_not(world):
    case = make_case(world.program, manager=world.users[Role.CASE_MANAGER], last="Fresh", contacts=0)
    assert _stored(case) is None
    now = timezone.now()
    contact_record(actor=_manager(world), case_id=case.pk, kind="phone", at=now - dt.timedelta(days=2))
    assert _stored(case) == now - dt.timedelta(days=2)
    contact_record(actor=_manager(world), case_id=case.pk, kind="phone", successful=False, at=now)
    assert _stored(case) == now - dt.timedelta(days=2)  # an attempt is not a contact
    contact_record(actor=_manager(world), case_id=case.pk, kind="phone", at=now - dt.timedelta(days=9))
    assert _stored(case) == now - dt.timedelta(days=2)  # entered late, but older than the latest
    contact_record(actor=_manager(world), case_id=case.pk, kind="in_person", at=now - dt.timedelta(hours=1))
    assert _stored(case) == now - dt.timedelta(hours=1)


def test_a_changed_or_removed_contact_is_followed_by_the_refresh(world):
    case = make_case(world.program, manager=world.users[Role.CASE_MANAGER], last="Two", contacts=2)
    now = timezone.now()
    with trusted("tests"):
        latest = Contact.objects.filter(case=case).order_by("-at").first()
        Contact.objects.filter(pk=latest.pk).update(successful=False)  # corrected: it was an attempt
        last_contact_refresh([case.pk])
        assert _stored(case).date() == (now - dt.timedelta(days=4)).date()
        Contact.objects.filter(case=case).delete()
        last_contact_refresh([case.pk])
    assert _stored(case) is None


def test_the_program_import_stores_each_cases_last_contact(world, tmp_path):
    caseload = _write(tmp_path / "caseload.csv", _rows(3, world.users[Role.CASE_MANAGER].username))
    contacts = _contacts(
        tmp_path / "contacts.csv",
        [
            ["C00000", "02/03/2024", "Phone", "no", "", "", "", ""],
            ["C00002", "02/04/2024", "In person", "yes", "", "", "", ""],
            ["C00002", "03/01/2024", "Outreach", "", "", "", "", ""],
        ],
    )
    report = program_import(
        actor=_supervisor(world), path=caseload, mapping_text=EXAMPLE.read_text(), contacts=contacts
    )
    assert report.loaded
    with trusted("tests"):
        imported = Case.objects.filter(program=world.program, status_reason__startswith="Imported")
        stored = dict(imported.values_list("person__legal_last_name", "last_contact_at"))
    assert stored["Last0"] is None and stored["Last1"] is None  # an attempt only; no contacts
    assert stored["Last2"].astimezone(world.program.zone).date() == dt.date(2024, 3, 1)
    assert _mismatches(imported) == []


def test_the_demo_seed_stores_each_cases_last_contact(db):
    program = seed_program(people=150, seed=3).program
    with trusted("tests"):
        cases = Case.objects.filter(program=program)
        assert cases.filter(last_contact_at__isnull=False).exists()
        assert cases.filter(last_contact_at__isnull=True).exists()
    assert _mismatches(cases) == []


def test_the_migrations_fill_sets_every_case_from_its_contacts(db):
    program = seed_program(people=150, seed=4).program
    with trusted("tests"):
        cases = Case.objects.filter(program=program)
        expected = dict(cases.values_list("pk", "last_contact_at"))
        cases.update(last_contact_at=None)
        updated = last_contact_fill(Case, Contact)
        assert updated == Case.objects.count()
        assert dict(cases.values_list("pk", "last_contact_at")) == expected
    assert any(expected.values()) and _mismatches(cases) == []
