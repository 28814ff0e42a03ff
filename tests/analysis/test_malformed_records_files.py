"""Malformed exports and mappings get one clear error, on the import page and from
`offramp import_records`; nothing is loaded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offramp.access.scope import trusted
from offramp.analysis.models import ImportBatch, LegalEvent, Subject
from offramp.analysis.synthetic import PEOPLE_MAPPING
from offramp.programs.roles import Role
from tests.files.malformed import DEEP_TOML, refused_by_cli

HEADER = (
    "subject_no,group,first_name,last_name,dob,sex,race_ethnicity,precinct,offence,index_date,"
    "left_observation,months_in_program,offramp_id\n"
)
GOOD = "S1,LEAD,Ana,Lopez,1980-05-17,female,White,area_1,theft,2012-03-01,,6,\n"
OUTSIDE = "is outside the dates offramp accepts (1900-01-01 to 2199-12-31)"
MALFORMED = [
    (
        GOOD.replace(",6,", ",99999999999,"),
        "months_in_program'): '99999999999' is not a whole number from 0 to 1200",
    ),
    (GOOD.replace("2012-03-01", "9999-12-31"), f"roster.csv, line 2, index_date: '9999-12-31' {OUTSIDE}"),
    (GOOD.replace("Lopez", "Lo\x00pez"), "roster.csv, line 2, last_name: contains a NUL character"),
    (GOOD.replace("1980-05-17", "2013-01-01"), "'2013-01-01' is after the index_date (2012-03-01)"),
]


def counts() -> tuple[int, int, int]:
    with trusted("tests"):
        return ImportBatch.objects.count(), Subject.objects.count(), LegalEvent.objects.count()


def post(client, data: bytes, mapping: str = PEOPLE_MAPPING):
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    return client.post(reverse("analysis:import"), {"file": upload, "mapping": mapping, "source": "jail"})


@pytest.mark.parametrize(("row", "message"), MALFORMED)
def test_the_import_page_refuses_a_malformed_export_and_loads_nothing(world, login, row, message):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = post(client, (HEADER + row).encode())
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (DEEP_TOML, "nests deeper than 32 levels"),
        (PEOPLE_MAPPING + "\x00", "Null characters are not allowed"),
    ],
)
def test_the_import_page_refuses_a_malformed_mapping(world, login, mapping, message):
    client = login(world.users[Role.PROJECT_MANAGER])
    response = post(client, (HEADER + GOOD).encode(), mapping)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("row", "mapping", "message"),
    [
        *[(row, PEOPLE_MAPPING, message) for row, message in MALFORMED],
        (GOOD, DEEP_TOML, "map.toml: nests deeper than 32 levels"),
        (GOOD, "\x00" + PEOPLE_MAPPING, "map.toml: contains a NUL character (line 1)"),
    ],
)
def test_the_command_refuses_a_malformed_file_in_one_line_and_loads_nothing(
    world, tmp_path, capsys, row, mapping, message
):
    (tmp_path / "roster.csv").write_bytes((HEADER + row).encode())
    (tmp_path / "map.toml").write_bytes(mapping.encode())
    argv = ["import_records", str(tmp_path / "roster.csv"), "--mapping", str(tmp_path / "map.toml")]
    line = refused_by_cli(capsys, *argv, "--program", world.program.slug)
    assert line.startswith("CommandError: the file was not loaded: ") and message in line
    assert counts() == (0, 0, 0)


def test_the_command_names_a_missing_mapping_file(world, tmp_path, capsys):
    (tmp_path / "roster.csv").write_bytes((HEADER + GOOD).encode())
    argv = ["import_records", str(tmp_path / "roster.csv"), "--mapping", str(tmp_path / "gone.toml")]
    line = refused_by_cli(capsys, *argv, "--program", world.program.slug)
    assert line == "CommandError: the file was not loaded: gone.toml: does not exist"
