"""Malformed protocols, mappings and exports get one clear error, on the page and from `offramp screen`;
nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.jobs.models import JobProgress
from offramp.programs.roles import Role
from offramp.referrals.models import ProtocolVersion, ScreenedArrest, ScreeningRun
from offramp.referrals.protocol import EXAMPLES_DIR
from tests.files.malformed import DEEP_TOML, refused_by_cli
from tests.referrals.screening_files import MAPPING, csv_bytes, publish_seattle, row

SEATTLE = (EXAMPLES_DIR / "seattle.toml").read_text(encoding="utf-8")
OUTSIDE = "is outside the dates offramp accepts (1900-01-01 to 2199-12-31)"


def stored() -> tuple[int, int]:
    with trusted("tests"):
        return ScreeningRun.objects.count(), ScreenedArrest.objects.count()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP_TOML, "p.toml: nests deeper than 32 levels"),
        (
            SEATTLE.replace("version = 1", "version = 100000000000000000000000"),
            "p.toml, version: is too large",
        ),
        (SEATTLE.replace("version = 1", "version = 99999999999"), "version: must be between 1 and 1000000"),
        (SEATTLE.replace('label = "', 'label = "\\u0000', 1), "label: contains a NUL character"),
        ("\x00" + SEATTLE, "p.toml: contains a NUL character (line 1)"),
        ("effective_from = 9999-12-31\n" + SEATTLE, f"effective_from: {OUTSIDE}"),
    ],
)
def test_the_protocol_page_refuses_a_malformed_file_and_publishes_nothing(world, login, text, message):
    client = login(world.users[Role.PROJECT_MANAGER])
    upload = SimpleUploadedFile("p.toml", text.encode(), "application/toml")
    response = client.post(reverse("referrals:protocols"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ProtocolVersion.objects.exists()


def post_screening(client, data: bytes, mapping: str):
    return client.post(
        reverse("referrals:screening"),
        {
            "version": 1,
            "arrests": SimpleUploadedFile("march.csv", data, "text/csv"),
            "mapping": SimpleUploadedFile("mapping.toml", mapping.encode(), "application/toml"),
        },
    )


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (DEEP_TOML, "nests deeper than 32 levels"),
        (MAPPING.replace('sex = "Sex"', 'sex = "Se\\u0000x"'), "columns.sex: contains a NUL character"),
    ],
)
def test_the_screening_page_refuses_a_malformed_mapping_and_queues_nothing(
    world, login, settings, tmp_path, mapping, message
):
    settings.DATA_DIR = tmp_path
    publish_seattle(world)
    client = login(world.users[Role.PROJECT_MANAGER])
    response = post_screening(client, csv_bytes([row("A-1")]), mapping)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JobProgress.objects.exists() and not (tmp_path / "uploads").exists()


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("mapping", DEEP_TOML, "mapping.toml: nests deeper than 32 levels"),
        ("mapping", "\x00" + MAPPING, "mapping.toml: contains a NUL character (line 1)"),
        (
            "arrests",
            csv_bytes([row("A-1"), row("A-2", officer="Ru\x00iz")]),
            "line 3, officer (column 'Officer'): contains a NUL character",
        ),
        (
            "arrests",
            csv_bytes([row("A-1", dob="9999-12-31")]),
            f"line 2, date_of_birth (column 'DOB'): '9999-12-31' {OUTSIDE}",
        ),
        (
            "arrests",
            csv_bytes([row("A-1", dob="2027-01-01")]),
            "line 2, date_of_birth (column 'DOB'): '2027-01-01' is after the incident_date (2026-03-02)",
        ),
        (
            "arrests",
            csv_bytes([row("A-1", grams="1e400")]),
            "line 2, quantity_grams (column 'NetWeightG'): '1e400' is not a number of grams",
        ),
    ],
)
def test_the_screen_command_refuses_a_malformed_file_in_one_line_and_stores_nothing(
    world, tmp_path, capsys, kind, content, message
):
    publish_seattle(world)
    files = {"mapping": tmp_path / "mapping.toml", "arrests": tmp_path / "march.csv"}
    files["mapping"].write_text(MAPPING)
    files["arrests"].write_bytes(csv_bytes([row("A-1")]))
    if isinstance(content, str):
        content = content.encode()
    files[kind].write_bytes(content)
    line = refused_by_cli(
        capsys,
        "screen",
        str(files["arrests"]),
        "--program",
        world.program.slug,
        "--mapping",
        str(files["mapping"]),
    )
    assert line.startswith("CommandError: Not loaded, nothing stored: ") and message in line
    assert stored() == (0, 0)


def test_the_screen_command_checks_the_results_folder_before_storing(world, tmp_path, capsys):
    publish_seattle(world)
    (tmp_path / "mapping.toml").write_text(MAPPING)
    (tmp_path / "march.csv").write_bytes(csv_bytes([row("A-1")]))
    argv = ["screen", str(tmp_path / "march.csv"), "--program", world.program.slug]
    line = refused_by_cli(
        capsys,
        *argv,
        "--mapping",
        str(tmp_path / "mapping.toml"),
        "--out",
        str(tmp_path / "missing" / "x.csv"),
    )
    assert line == f"CommandError: No such folder for --out: {tmp_path / 'missing'}"
    assert stored() == (0, 0)
