"""The HMIS CSV FY2026 export: HUD's exact header rows and codes, only consented participants, each in the
disclosure ledger, and the export audited."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from offramp.access.models import AuditEntry, Consent, Disclosure
from offramp.access.policy import Category
from offramp.access.scope import trusted
from offramp.cases.models import Status
from offramp.hmis import spec
from offramp.hmis.actions import hmis_export
from offramp.people import hmis as people_hmis
from offramp.programs.roles import Role
from offramp.workgroup.queries import actor_for
from tests.conftest import make_case
from tests.standards import standard_file

STANDARD = ("hmis-csv-fy2026",)


def _standard(name: str) -> list[dict]:
    with standard_file(*STANDARD, name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


COLUMNS = _standard("columns.csv")
VALUES = {(r["list_code"], r["code"]): r["label"] for r in _standard("valuelists.csv")}
LISTS = {(r["file"], r["column"]): r["list_code"] for r in _standard("column_lists.csv")}


@pytest.mark.parametrize("name", sorted(spec.HEADERS))
def test_each_header_is_huds(name):
    published = [
        r["column"]
        for r in sorted((r for r in COLUMNS if r["file"] == name), key=lambda r: int(r["position"]))
    ]
    assert list(spec.HEADERS[name]) == published


def test_each_code_is_in_its_list():
    for list_code, code, label in spec.CODES:
        assert VALUES.get((list_code, str(code))) == label, (list_code, code)
    for code, label in spec.PROJECT_TYPES.items():
        assert VALUES[("2.02.6", str(code))] == label


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


@pytest.fixture
def exported(world, tmp_path):
    full = world.own_case
    _consent(full, Category.IDENTITY, Category.CASE_RECORD)
    identity_only = world.other_case
    _consent(identity_only, Category.IDENTITY)
    make_case(world.program, first="Zed", last="Nope", consent=False, status=Status.EXITED)  # no HMIS consent
    out = tmp_path / "hmis.zip"
    today = timezone.localdate()
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
    assert people == {world.own_case.person_id, world.other_case.person_id}
    assert {int(r["PersonalID"]) for r in files["Enrollment"]} == {world.own_case.person_id}
    assert counts["left_out"] == 1
    with trusted("test"):
        ledger = {d.person_id: d.categories for d in Disclosure.objects.filter(recipient_class="hmis")}
    assert ledger == {
        world.own_case.person_id: [Category.IDENTITY, Category.CASE_RECORD],
        world.other_case.person_id: [Category.IDENTITY],
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
                list_code = LISTS.get((name, column))
                if list_code and value != "":
                    assert (list_code, value) in VALUES, (name, column, value)
            for r in COLUMNS:
                if r["file"] == name and r["nullable"] == "false":
                    assert row[r["column"]] != "", (name, r["column"])


def test_a_revoked_consent_leaves_the_participant_out(world, tmp_path):
    _consent(world.own_case, Category.IDENTITY, Category.CASE_RECORD)
    with trusted("test"):
        Consent.objects.filter(recipient_class="hmis").update(
            revoked_at=timezone.now() - dt.timedelta(hours=1)
        )
    out = tmp_path / "hmis.zip"
    today = timezone.localdate()
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
        assert LISTS[("Client", column)] == list_code
        for code, _label in choices.choices:
            assert (list_code, str(code)) in VALUES


def test_the_project_manager_downloads_it_from_the_page(world, login):
    from django.urls import reverse

    _consent(world.own_case, Category.IDENTITY)
    client = login(world.users[Role.PROJECT_MANAGER])
    assert client.get(reverse("hmis:export")).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(reverse("hmis:export"), {"start": today, "end": today})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    wrong = client.post(reverse("hmis:export"), {"start": today, "end": "2000-01-01"})
    assert wrong.status_code == 400
    assert login(world.users[Role.OFFICER]).get(reverse("hmis:export")).status_code == 404
