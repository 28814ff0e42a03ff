"""The HMIS CSV FY2026 export: HUD's exact header rows and codes, only consented participants, each in the
disclosure ledger, and the export audited."""

import csv
import datetime as dt
import functools
import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from offramp.access.models import AuditEntry, Consent, Disclosure
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.cases.models import Case, OutcomeSnapshot, Status
from offramp.cases.outcomes import LivingSituation
from offramp.hmis import records, spec
from offramp.hmis.actions import hmis_export
from offramp.people import hmis as people_hmis
from offramp.programs.roles import Role
from offramp.workgroup.queries import actor_for
from tests.conftest import make_case
from tests.standards import standard_file

STANDARD = ("hmis-csv-fy2026",)


@functools.cache
def _standard(name: str) -> list[dict]:
    """Read on first use, so the consent and ledger tests run without the published standard."""
    with standard_file(*STANDARD, name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _columns() -> list[dict]:
    return _standard("columns.csv")


@functools.cache
def _values() -> dict:
    return {(r["list_code"], r["code"]): r["label"] for r in _standard("valuelists.csv")}


@functools.cache
def _lists() -> dict:
    return {(r["file"], r["column"]): r["list_code"] for r in _standard("column_lists.csv")}


@pytest.mark.parametrize("name", sorted(spec.HEADERS))
def test_each_header_is_huds(name):
    published = [
        r["column"]
        for r in sorted((r for r in _columns() if r["file"] == name), key=lambda r: int(r["position"]))
    ]
    assert list(spec.HEADERS[name]) == published


def test_each_code_is_in_its_list():
    for list_code, code, label in spec.CODES:
        assert _values().get((list_code, str(code))) == label, (list_code, code)
    for code, label in spec.PROJECT_TYPES.items():
        assert _values()[("2.02.6", str(code))] == label
    assert {int(c) for list_code, c in _values() if list_code == "3.12"} == spec.DESTINATION_CODES


def test_every_living_situation_has_its_destination_or_none():
    for code in LivingSituation.values:
        mapped = records.DESTINATION_FOR_LIVING.get(code)
        if mapped is not None:
            assert ("3.12", str(mapped)) in _values()
    assert {code for code in LivingSituation.values if code not in records.DESTINATION_FOR_LIVING} == {
        LivingSituation.WORKER_UNABLE
    }


def _consent(case, *categories):
    with trusted("test"):
        Consent.objects.create(
            program=case.program,
            person=case.person,
            recipient_class=Consent.Recipient.HMIS,
            categories=list(categories),
            purpose="HMIS participation",
            signed_at=timezone.now() - dt.timedelta(days=5),
        )


def _read(path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        return {
            n.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(n).decode("utf-8"))))
            for n in archive.namelist()
        }


def _snapshot(case, as_of, *, living=LivingSituation.NOT_FOR_HABITATION, employment="looking", **kw):
    with trusted("test"):
        return OutcomeSnapshot.objects.create(
            program=case.program,
            case=case,
            as_of=as_of,
            reason=OutcomeSnapshot.Reason.CHANGE,
            living_situation=living,
            employment=employment,
            income_sources=kw.get("income", []),
            health_insurance=kw.get("insurance", "none"),
            created_at=timezone.now(),
        )


@pytest.fixture
def exported(world, tmp_path):
    full = world.own_case
    _consent(full, Category.IDENTITY, Category.CASE_RECORD)
    entry = timezone.localtime(full.opened_at, world.program.zone).date()
    _snapshot(full, entry)
    _snapshot(
        full,
        entry + dt.timedelta(days=20),
        living=LivingSituation.RENTAL,
        employment="part_time",
        income=["earned", "snap", "veterans"],
        insurance="private",
    )
    left = make_case(world.program, first="Ola", last="Went", status=Status.EXITED)
    _consent(left, Category.IDENTITY, Category.CASE_RECORD)
    _snapshot(
        left,
        timezone.localtime(left.status_changed_at, world.program.zone).date(),
        living=LivingSituation.FRIEND,
    )
    identity_only = world.other_case
    _consent(identity_only, Category.IDENTITY)
    make_case(world.program, first="Zed", last="Nope", consent=False, status=Status.EXITED)  # no HMIS consent
    out = tmp_path / "hmis.zip"
    today = timezone.localdate(timezone=world.program.zone)
    counts = hmis_export(
        actor=actor_for(world.users[Role.PROJECT_MANAGER], world.program),
        out=out,
        start=today - dt.timedelta(days=365),
        end=today,
    )
    return out, counts


def test_only_consented_participants_go_in_each_ledgered(world, exported):
    out, counts = exported
    files = _read(out)
    assert sorted(files) == sorted(spec.HEADERS)
    people = {int(r["PersonalID"]) for r in files["Client"]}
    left = max(people)
    assert people == {world.own_case.person_id, world.other_case.person_id, left}
    assert {int(r["PersonalID"]) for r in files["Enrollment"]} == {world.own_case.person_id, left}
    for name in ("CurrentLivingSituation", "IncomeBenefits", "EmploymentEducation"):
        assert {int(r["PersonalID"]) for r in files[name]} == {world.own_case.person_id, left}, name
    assert counts["left_out"] == 1
    with trusted("test"):
        ledger = {d.person_id: d.categories for d in Disclosure.objects.filter(recipient_class="hmis")}
    assert ledger == {
        world.own_case.person_id: [Category.IDENTITY, Category.CASE_RECORD],
        world.other_case.person_id: [Category.IDENTITY],
        left: [Category.IDENTITY, Category.CASE_RECORD],
    }
    entry = AuditEntry.objects.get(action="export", object_type="HmisExport")
    assert entry.detail["left_out_without_consent"] == 1


def test_every_file_has_the_exact_header_and_coded_values_from_the_lists(world, exported):
    out, _counts = exported
    with zipfile.ZipFile(out) as archive:
        for name, header in spec.HEADERS.items():
            first_line = archive.read(f"{name}.csv").decode("utf-8").split("\r\n", 1)[0]
            assert first_line == ",".join(header)
    for name, rows in _read(out).items():
        for row in rows:
            for column, value in row.items():
                list_code = _lists().get((name, column))
                if list_code and value != "":
                    assert (list_code, value) in _values(), (name, column, value)
            for r in _columns():
                if r["file"] == name and r["nullable"] == "false":
                    assert row[r["column"]] != "", (name, r["column"])


def test_a_revoked_consent_leaves_the_participant_out(world, tmp_path):
    _consent(world.own_case, Category.IDENTITY, Category.CASE_RECORD)
    with trusted("test"):
        Consent.objects.filter(recipient_class="hmis").update(
            revoked_at=timezone.now() - dt.timedelta(hours=1)
        )
    out = tmp_path / "hmis.zip"
    today = timezone.localdate(timezone=world.program.zone)
    hmis_export(
        actor=actor_for(world.users[Role.PROJECT_MANAGER], world.program), out=out, start=today, end=today
    )
    assert _read(out)["Client"] == []


def test_the_command_writes_the_zip(world, tmp_path):
    _consent(world.own_case, Category.IDENTITY)
    out = tmp_path / "out.zip"
    stdout = io.StringIO()
    call_command("hmis-export", str(out), program=world.program.slug, stdout=stdout)
    assert "1 clients" in stdout.getvalue() and zipfile.is_zipfile(out)


def test_the_demographic_lists_stay_huds():
    for column, (list_code, choices) in people_hmis.CLIENT_COLUMN_LISTS.items():
        assert _lists()[("Client", column)] == list_code
        for code, _label in choices.choices:
            assert (list_code, str(code)) in _values()


def test_the_project_manager_downloads_it_from_the_page(world, login):
    from django.urls import reverse

    _consent(world.own_case, Category.IDENTITY)
    client = login(world.users[Role.PROJECT_MANAGER])
    assert client.get(reverse("hmis:export")).status_code == 200
    today = timezone.localdate(timezone=world.program.zone).isoformat()
    response = client.post(reverse("hmis:export"), {"start": today, "end": today})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    wrong = client.post(reverse("hmis:export"), {"start": today, "end": "2000-01-01"})
    assert wrong.status_code == 400
    assert login(world.users[Role.OFFICER]).get(reverse("hmis:export")).status_code == 404


def test_snapshots_are_living_situations_income_and_employment(world, exported):
    out, counts = exported
    files = _read(out)
    own = str(world.own_case.person_id)
    living = [r for r in files["CurrentLivingSituation"] if r["PersonalID"] == own]
    assert [r["CurrentLivingSituation"] for r in living] == ["116", "410"]
    income = [r for r in files["IncomeBenefits"] if r["PersonalID"] == own]
    assert [r["DataCollectionStage"] for r in income] == ["1", "2"]  # entry, then an update
    first, later = income
    assert (
        first["IncomeFromAnySource"],
        first["BenefitsFromAnySource"],
        first["InsuranceFromAnySource"],
    ) == (
        "0",
        "0",
        "0",
    )
    assert (later["IncomeFromAnySource"], later["Earned"], later["SSI"], later["OtherIncomeSource"]) == (
        "1",
        "1",
        "0",
        "1",
    )
    assert later["OtherIncomeSourceIdentify"] == "Veterans' benefits"
    assert (later["BenefitsFromAnySource"], later["SNAP"], later["WIC"]) == ("1", "1", "")  # WIC: not asked
    assert (later["InsuranceFromAnySource"], later["OtherInsurance"], later["PrivatePay"]) == ("1", "1", "")
    assert later["EarnedAmount"] == later["TotalMonthlyIncome"] == ""  # amounts: not held
    work = [r for r in files["EmploymentEducation"] if r["PersonalID"] == own]
    assert [(r["Employed"], r["EmploymentType"], r["NotEmployedReason"]) for r in work] == [
        ("0", "", "1"),
        ("1", "2", ""),
    ]
    (exit_row,) = files["Exit"]
    assert exit_row["Destination"] == "313"  # with friends, from the snapshot on the exit day
    left = [r for r in files["IncomeBenefits"] if r["PersonalID"] == exit_row["PersonalID"]]
    assert [r["DataCollectionStage"] for r in left] == ["3"]
    assert counts["HMISParticipation"] == 1 and files["HMISParticipation"][0]["HMISParticipationType"] == "1"


def test_the_snapshot_files_codes_are_in_their_lists(exported):
    files = _read(exported[0])
    assert files["IncomeBenefits"] and files["EmploymentEducation"]
    coded = {
        "1.7": ("Earned", "SSI", "SSDI", "TANF", "GA", "Unemployment", "OtherIncomeSource", "SNAP"),
        "1.8": ("IncomeFromAnySource", "BenefitsFromAnySource", "InsuranceFromAnySource"),
    }
    for row in files["IncomeBenefits"]:
        for list_code, columns in coded.items():
            for column in columns:
                assert (list_code, row[column]) in _values(), (column, row[column])
    for row in files["EmploymentEducation"]:
        assert ("1.8", row["Employed"]) in _values()
        for column, list_code in (("EmploymentType", "R6.A"), ("NotEmployedReason", "R6.B")):
            assert row[column] == "" or (list_code, row[column]) in _values()


def _exited(reason, days_before_exit=None, living=LivingSituation.RENTAL):
    exit_at = timezone.now()
    case = Case(pk=1, person_id=1, status=Status.EXITED, exit_reason=reason, status_changed_at=exit_at)
    snaps = []
    if days_before_exit is not None:
        as_of = timezone.localtime(exit_at).date() - dt.timedelta(days=days_before_exit)
        snaps.append(OutcomeSnapshot(pk=1, as_of=as_of, living_situation=living))
    return case, snaps


@pytest.mark.parametrize(
    ("reason", "days", "living", "expected"),
    [
        ("deceased", 0, LivingSituation.RENTAL, 24),
        ("long_term_incarceration", None, LivingSituation.RENTAL, 207),
        ("goals_met", 10, LivingSituation.RENTAL_SUBSIDY, 435),
        ("moved", 3, LivingSituation.FAMILY, 312),
        ("goals_met", 45, LivingSituation.RENTAL, 99),  # too long before the exit to say
        ("no_contact", None, LivingSituation.RENTAL, 30),
        ("intake_not_completed", 5, LivingSituation.NOT_COLLECTED, 30),
        ("chose_to_leave", 5, LivingSituation.WORKER_UNABLE, 99),
    ],
)
def test_the_destination_comes_from_the_exit_reason_or_the_last_snapshot(reason, days, living, expected):
    case, snaps = _exited(reason, days, living)
    assert records.destination(case, snaps) == expected


def test_every_records_user_is_the_one_user_who_exported_named_without_contact_details(world, exported):
    out, _counts = exported
    files = _read(out)
    (user,) = files["User"]
    manager = world.users[Role.PROJECT_MANAGER]
    assert user["UserID"] == manager.get_username()
    assert (user["UserFirstName"], user["UserLastName"]) == (manager.first_name, manager.last_name)
    assert user["UserPhone"] == user["UserExtension"] == user["UserEmail"] == ""
    referenced = {row["UserID"] for name, rows in files.items() for row in rows if "UserID" in row}
    assert referenced == {user["UserID"]}
    assert {row["ExportID"] for row in files["User"]} == {files["Export"][0]["ExportID"]}
