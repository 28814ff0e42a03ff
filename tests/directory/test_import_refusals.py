"""A bad HSDS file is refused whole, with errors naming the file, the row or path, and the field."""

import json

import pytest
from django.core.exceptions import ValidationError

from offramp.access.models import AuditEntry
from offramp.access.scope import Actor
from offramp.directory import actions
from offramp.directory.models import MODELS, Organization, Service
from offramp.programs.models import Program

ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
OTHER = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
HEADER = {
    "organizations.csv": "id,name,description,email,website\n",
    "services.csv": "id,organization_id,name,status,minimum_age,last_modified\n",
    "service_at_location.csv": "id,service_id,location_id\n",
    "locations.csv": "id,location_type,latitude,longitude\n",
}
GOOD = {
    "organizations.csv": f"{ORG},Harbor Aid,Helps,help@example.org,https://example.org\n",
    "services.csv": f"ac148810-d857-441c-9679-408f346de14b,{ORG},Meals,active,18,2024-01-02T03:04:05Z\n",
    "service_at_location.csv": "",
    "locations.csv": "",
}


@pytest.fixture
def program(db):
    return Program.objects.create(name="Refusals", slug="refusals", jurisdiction="Here")


def _package(tmp_path, **replace):
    folder = tmp_path / "package"
    folder.mkdir(exist_ok=True)
    for name, header in HEADER.items():
        (folder / name).write_text(header + replace.get(name.replace(".csv", ""), GOOD[name]))
    tables = (
        ("organization", "organizations.csv"),
        ("service", "services.csv"),
        ("service_at_location", "service_at_location.csv"),
        ("location", "locations.csv"),
    )
    resources = [{"name": n, "path": p} for n, p in tables]
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    return folder


def _refused(program, path) -> list[str]:
    before = {name: model.objects.count() for name, model in MODELS.items()}
    with pytest.raises(ValidationError) as caught:
        actions.directory_import(actor=Actor.system("tests", program=program), path=path)
    assert {name: model.objects.count() for name, model in MODELS.items()} == before
    return caught.value.messages


def test_it_loads_the_good_package(program, tmp_path):
    result = actions.directory_import(actor=Actor.system("tests", program=program), path=_package(tmp_path))
    assert result.created["service"] == 1
    assert Service.objects.get(program=program).minimum_age == 18
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.detail["created"]) == ("import", "Directory", 2)


@pytest.mark.parametrize(
    ("table", "row", "expected"),
    [
        (
            "services",
            f"ac148810-d857-441c-9679-408f346de14b,{ORG},Meals,open,18,",
            "services.csv, line 2, status: must be one of: active, inactive, defunct, temporarily closed",
        ),
        ("services", f"not-a-uuid,{ORG},Meals,active,,", "services.csv, line 2, id: must be a UUID"),
        (
            "services",
            f"ac148810-d857-441c-9679-408f346de14b,{ORG},,active,,",
            "services.csv, line 2, name: is required",
        ),
        (
            "services",
            f"ac148810-d857-441c-9679-408f346de14b,{ORG},Meals,active,eighteen,",
            "services.csv, line 2, minimum_age: must be a number",
        ),
        (
            "services",
            f"ac148810-d857-441c-9679-408f346de14b,{ORG},Meals,active,,2024-13-01",
            "services.csv, line 2, last_modified: must be a date and time",
        ),
        (
            "services",
            f"ac148810-d857-441c-9679-408f346de14b,{OTHER},Meals,active,,",
            f"services.csv, line 2, organization_id: points to organization {OTHER}",
        ),
        (
            "services",
            f"ac148810-d857-441c-9679-408f346de14b,{ORG},Meals,active,,\n"
            f"ac148810-d857-441c-9679-408f346de14b,{ORG},Again,active,,",
            "services.csv, line 3, id: repeats the id at line 2",
        ),
        (
            "organizations",
            f"{ORG},Harbor Aid,Helps,not an address,https://example.org",
            "organizations.csv, line 2, email: must be an email address",
        ),
        (
            "organizations",
            f"{ORG},Harbor Aid,Helps,help@example.org,example dot org",
            "organizations.csv, line 2, website: must be a URI",
        ),
        (
            "service_at_location",
            "e94c9f38-1e8f-4564-91d4-d53501ab1765,ac148810-d857-441c-9679-408f346de14b,",
            "service_at_location.csv, line 2, location_id: is required",
        ),
        (
            "locations",
            "3a19ff88-4620-4d17-9830-ac1d859eb5d5,house,,",
            "locations.csv, line 2, location_type: must be one of: physical, postal, virtual",
        ),
    ],
)
def test_it_refuses_a_bad_row_and_names_it(program, tmp_path, table, row, expected):
    messages = _refused(program, _package(tmp_path, **{table: row + "\n"}))
    assert messages[0].endswith("nothing was loaded.")
    assert any(m.startswith(expected) for m in messages[1:]), messages


def test_it_keeps_the_directory_as_it_was_when_a_file_is_refused(program, tmp_path):
    actions.directory_import(actor=Actor.system("tests", program=program), path=_package(tmp_path))
    bad = _package(tmp_path, organizations=f"{ORG},Renamed,Helps,help@example.org,nope\n")
    _refused(program, bad)
    assert Organization.objects.get(program=program).name == "Harbor Aid"
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.outcome) == ("import", "failed")


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            {
                "id": ORG,
                "name": "A",
                "description": "B",
                "services": [{"id": SERVICE, "name": "S", "status": "active", "minimum_age": "12"}],
            },
            "bad.json, $.services[0].minimum_age: must be a number",
        ),
        (
            {
                "id": ORG,
                "name": "A",
                "description": "B",
                "phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e"}],
            },
            "bad.json, $.phones[0].number: is required",
        ),
        (
            {"id": ORG, "name": "A", "description": "B", "phones": [{"number": "555"}]},
            "bad.json, $.phones[0].id: is required",
        ),
        (
            {"id": ORG, "name": "A", "description": "B", "locations": {"id": ORG}},
            "bad.json, $.locations: must be a list of objects",
        ),
        ({"hello": "world"}, "bad.json, $: is not an HSDS object"),
    ],
)
def test_it_refuses_bad_json_and_names_the_path(program, tmp_path, doc, expected):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    messages = _refused(program, path)
    assert any(m.startswith(expected) for m in messages[1:]), messages


def test_it_refuses_a_record_that_contradicts_itself(program, tmp_path):
    phone = {"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number": "555-0100"}
    doc = {
        "id": ORG,
        "name": "A",
        "description": "B",
        "phones": [phone],
        "contacts": [
            {"id": "1e7efce3-639b-4880-940c-b95cd30cdb50", "phones": [{**phone, "number": "555-0199"}]}
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    messages = _refused(program, path)
    assert any(
        "$.phones[0].number: differs where the same record appears at $.contacts[0].phones[0]" in m
        for m in messages
    )


def test_it_refuses_what_is_not_json(program, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json")
    assert any(m.startswith("broken.json: is not valid JSON") for m in _refused(program, path))
