"""The directory through the API in HSDS 3.0's own API shape: every list page and item validates against
the published schemas (../shared/standards/hsds-3.0), offline."""

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from offramp.api import scopes
from offramp.directory.actions import directory_import
from offramp.programs.roles import Role
from offramp.workgroup.queries import actor_for
from tests.standards import standard_file

HSDS = ("hsds-3.0",)
SPEC = json.loads(standard_file(*HSDS, "schema", "openapi.json").read_text())
PLURALS = ("services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms")


def _schemas(plural: str) -> tuple[str, str]:
    """The file names of the schemas HSDS's OpenAPI gives a list's items and one item (offline copies)."""
    listed = SPEC["paths"][f"/{plural}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    one = SPEC["paths"][f"/{plural}/{{id}}"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    item = one["$ref"].rsplit("/", 1)[1]
    if plural == "service_at_locations":
        item = "service_at_location.json"  # HSDS 3.0's document names service.json here, a slip in it
    return listed["properties"]["contents"]["items"]["$ref"].rsplit("/", 1)[1], item


def _validator(name: str) -> Draft202012Validator:
    folder = standard_file(*HSDS, "schema")
    resources = [
        (p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012))
        for p in [*folder.glob("*.json"), *(folder / "compiled").glob("*.json")]
    ]
    return Draft202012Validator(
        {"$ref": name},
        registry=Registry().with_resources(resources),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.fixture
def directory(world):
    manager = actor_for(world.users[Role.PROJECT_MANAGER], world.program)
    for name in ("organization_full.json", "service_full.json"):
        directory_import(actor=manager, path=standard_file(*HSDS, "examples", name))


@pytest.mark.parametrize("plural", PLURALS)
def test_each_list_and_item_is_hsds(plural, world, directory, issue, call):
    token = issue(scopes.DIRECTORY_READ)
    listed, single = _schemas(plural)
    page = call("get", f"hsds/{plural}?per_page=200", token).json()
    assert page["contents"], plural
    assert page["total_items"] == len(page["contents"]) and page["first_page"] and page["last_page"]
    assert set(SPEC["components"]["schemas"]["Page"]["properties"]) <= set(page)
    validator = _validator(listed)
    for item in page["contents"]:
        assert [e.message for e in validator.iter_errors(item)] == [], item["id"]
    one = call("get", f"hsds/{plural}/{page['contents'][0]['id']}", token)
    assert one.status_code == 200
    assert [(list(e.absolute_path), e.message) for e in _validator(single).iter_errors(one.json())] == []


def test_it_pages_and_searches(world, directory, issue, call):
    token = issue(scopes.DIRECTORY_READ)
    everything = call("get", "hsds/services", token).json()
    first = call("get", "hsds/services?per_page=1&page=1", token).json()
    assert first["size"] == 1 and first["total_items"] == everything["total_items"]
    assert first["total_pages"] == everything["total_items"]
    name = everything["contents"][0]["name"]
    found = call("get", f"hsds/services?search={name[:5]}", token).json()
    assert name in [s["name"] for s in found["contents"]]
    assert call("get", "hsds/services?search=zzzz-nothing", token).json()["empty"] is True


def test_another_programs_directory_is_not_seen(world, directory, issue, call):
    token = issue(scopes.DIRECTORY_READ, program=world.other_program, name="elsewhere")
    assert call("get", "hsds/services", token).json()["total_items"] == 0
