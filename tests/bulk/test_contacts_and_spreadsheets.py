"""A caseload comes with its contacts, from CSV or a spreadsheet: both files load together or not at all,
each problem named by file, line and field; notes are written only by a role that may read them."""

import csv
import io
from pathlib import Path

import polars as pl
from django.core.management import call_command

from offramp.access.scope import Actor, trusted
from offramp.bulk.actions import ERR_NOTES, ContactsFile, program_import
from offramp.bulk.contacts import ERR_BEFORE_CASE, ERR_NO_CASE
from offramp.cases.models import Case, Contact
from offramp.programs.roles import Role
from tests.bulk.test_program_import import EXAMPLE, HEADER, _actor, _counts, _rows, _write

CONTACT_MAPPING = EXAMPLE.with_name("generic_contacts_mapping.toml")
CONTACT_HEADER = [
    "ClientID",
    "ContactDate",
    "ContactType",
    "Reached",
    "Location",
    "Minutes",
    "SubstanceUse",
    "Note",
]


def _contacts(path: Path, rows: list[list[str]]) -> ContactsFile:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CONTACT_HEADER)
        writer.writerows(rows)
    return ContactsFile(path, CONTACT_MAPPING.read_text())


def _supervisor(world):
    user = world.users[Role.CASE_SUPERVISOR]
    return Actor(user=user, program=world.program, roles=frozenset({Role.CASE_SUPERVISOR}))


def _contact_count(world):
    with trusted("test"):
        return Contact.objects.filter(program=world.program).count()


def test_a_caseload_loads_with_its_contacts_each_on_its_case(world, tmp_path):
    manager = world.users[Role.CASE_MANAGER]
    caseload = _write(tmp_path / "caseload.csv", _rows(3, manager.username))
    contacts = _contacts(
        tmp_path / "contacts.csv",
        [
            ["C00000", "02/03/2024", "Phone", "no", "", "", "", ""],
            [
                "C00002",
                "02/04/2024",
                "In person",
                "yes",
                "Library",
                "45",
                "yes",
                "Wants to talk about detox.",
            ],
            ["C00002", "03/01/2024", "Outreach", "", "Camp by the river", "", "", "Found at camp; doing ok."],
        ],
    )
    before = _contact_count(world)
    report = program_import(
        actor=_supervisor(world), path=caseload, mapping_text=EXAMPLE.read_text(), contacts=contacts
    )
    assert report.problems == [] and report.loaded and report.contacts == 3
    assert _contact_count(world) == before + 3
    with trusted("test"):
        stored = list(
            Contact.objects.filter(program=world.program, case__status_reason__startswith="Imported")
            .order_by("at")
            .values_list(
                "case__person__legal_last_name", "kind", "successful", "part2", "duration_minutes", "by"
            )
        )
        note = Contact.objects.get(program=world.program, location="Library").note
    assert stored == [
        ("Last0", "phone", False, False, None, manager.pk),
        ("Last2", "in_person", True, True, 45, manager.pk),
        ("Last2", "street_outreach", True, False, None, manager.pk),
    ]
    assert note == "Wants to talk about detox."  # read back through the field keys


def test_a_bad_contact_loads_nothing_of_either_file(world, tmp_path):
    caseload = _write(tmp_path / "caseload.csv", _rows(3, world.users[Role.CASE_MANAGER].username))
    contacts = _contacts(
        tmp_path / "contacts.csv",
        [
            ["C00001", "02/03/2024", "Phone", "yes", "", "", "", ""],
            ["C00009", "02/03/2024", "Phone", "yes", "", "", "", ""],
            ["C00001", "01/01/2024", "Phone", "yes", "", "", "", ""],  # the case opened on 01/15/2024
            ["C00001", "02/03/2024", "Carrier pigeon", "yes", "", "", "", ""],
        ],
    )
    before, contacts_before = _counts(world), _contact_count(world)
    report = program_import(
        actor=_supervisor(world), path=caseload, mapping_text=EXAMPLE.read_text(), contacts=contacts
    )
    assert not report.loaded
    assert report.problems == [
        "contacts.csv, line 5, kind (column 'ContactType'): 'Carrier pigeon' is not one of "
        "in_person, street_outreach, phone, text, video, collateral"
    ]  # a file's own cells first: the cross-file checks run once both files read cleanly
    contacts = _contacts(tmp_path / "contacts.csv", list(_contact_rows_without_pigeon()))
    report = program_import(
        actor=_supervisor(world), path=caseload, mapping_text=EXAMPLE.read_text(), contacts=contacts
    )
    assert report.problems == [
        f"contacts.csv, line 3, case_source_id (column 'ClientID'): {ERR_NO_CASE.format(value='C00009')}",
        f"contacts.csv, line 4, date (column 'ContactDate'): {ERR_BEFORE_CASE.format(opened='2024-01-15')}",
    ]
    assert (_counts(world), _contact_count(world)) == (before, contacts_before)


def _contact_rows_without_pigeon():
    return [
        ["C00001", "02/03/2024", "Phone", "yes", "", "", "", ""],
        ["C00009", "02/03/2024", "Phone", "yes", "", "", "", ""],
        ["C00001", "01/01/2024", "Phone", "yes", "", "", "", ""],
    ]


def test_a_project_manager_may_not_write_notes_they_may_not_read(world, tmp_path):
    caseload = _write(tmp_path / "caseload.csv", _rows(2, world.users[Role.CASE_MANAGER].username))
    with_note = _contacts(
        tmp_path / "contacts.csv", [["C00001", "02/03/2024", "Phone", "yes", "", "", "", "A note"]]
    )
    report = program_import(
        actor=_actor(world), path=caseload, mapping_text=EXAMPLE.read_text(), contacts=with_note
    )
    assert report.problems == [f"contacts.csv, note: {ERR_NOTES}"] and not report.loaded
    no_note = _contacts(tmp_path / "contacts.csv", [["C00001", "02/03/2024", "Phone", "yes", "", "", "", ""]])
    report = program_import(
        actor=_actor(world), path=caseload, mapping_text=EXAMPLE.read_text(), contacts=no_note
    )
    assert report.loaded and report.contacts == 1


def test_a_spreadsheet_caseload_loads_as_its_csv_would(world, tmp_path):
    manager = world.users[Role.CASE_MANAGER].username
    rows = _rows(30, manager)
    frame = pl.DataFrame([dict(zip(HEADER, row, strict=True)) for row in rows])
    frame.write_excel(tmp_path / "caseload.xlsx")
    report = program_import(
        actor=_actor(world), path=tmp_path / "caseload.xlsx", mapping_text=EXAMPLE.read_text()
    )
    assert report.problems == [] and report.loaded and report.rows == 30
    with trusted("test"):
        exited = Case.objects.filter(
            program=world.program, status="exited", status_reason__startswith="Imported"
        )
        assert exited.count() == 6
    rows[4][5] = "Vanished"
    pl.DataFrame([dict(zip(HEADER, row, strict=True)) for row in rows]).write_excel(tmp_path / "bad.xlsx")
    report = program_import(actor=_actor(world), path=tmp_path / "bad.xlsx", mapping_text=EXAMPLE.read_text())
    assert report.problems and report.problems[0].startswith(
        "bad.xlsx, line 6, status (column 'Status'): 'Vanished'"
    )


def test_the_command_imports_contacts_beside_the_caseload(world, tmp_path):
    caseload = _write(tmp_path / "caseload.csv", _rows(2, world.users[Role.CASE_MANAGER].username))
    contacts = _contacts(
        tmp_path / "contacts.csv", [["C00001", "02/03/2024", "Phone", "yes", "", "", "", "Hi"]]
    )
    out = io.StringIO()
    call_command(
        "import-program",
        str(caseload),
        program=world.program.slug,
        mapping=str(EXAMPLE),
        contacts=str(contacts.path),
        contacts_mapping=str(CONTACT_MAPPING),
        stdout=out,
    )
    said = "Imported 2 cases, 2 new people, 0 joined, 1 contacts, 0 links suggested for review."
    assert said in out.getvalue()
