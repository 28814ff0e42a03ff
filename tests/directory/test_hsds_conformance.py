"""The product's HSDS rules against the published HSDS 3.0 files: its tables, its validator, its exports."""

import json
import shutil

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from offramp.access.scope import Actor
from offramp.directory import actions, queries
from offramp.directory.hsds import BY_NAME, NESTING, TABLES
from offramp.directory.reading import read_path
from offramp.directory.validation import validate
from offramp.directory.writing import to_json, to_tabular
from offramp.programs.models import Program
from tests.standards import standard_file

HSDS = ("hsds-3.0",)
ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
EXAMPLE_ONLY = {"organization": {"services"}, "service_at_location": {"service"}}
JSON_EXAMPLES = (
    "base.json",
    "location.json",
    "organization_full.json",
    "organization_list.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "service_full.json",
    "service_list.json",
    "tabular.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
)


def test_it_states_the_published_tables_fields_and_rules():
    package = json.loads(standard_file(*HSDS, "datapackage.json").read_text())
    published = {r["name"]: r for r in package["resources"]}
    assert set(published) == set(BY_NAME)
    for name, resource in published.items():
        spec = BY_NAME[name]
        assert spec.path == resource["path"]
        assert spec.field_names == tuple(f["name"] for f in resource["schema"]["fields"])
        keys = {k["fields"]: k["reference"]["resource"] for k in resource["schema"].get("foreignKeys", [])}
        assert {f.name: f.ref for f in spec.fields if f.ref} == keys
        for field in resource["schema"]["fields"]:
            mine, rules = spec.field(field["name"]), field.get("constraints", {})
            assert mine.required == bool(rules.get("required")), (name, field["name"])
            assert mine.enum == tuple(rules.get("enum", ())), (name, field["name"])
            assert (mine.unique or mine.name == "id") == bool(rules.get("unique")), (name, field["name"])
            kind = field.get("format") if field.get("format") in ("uuid", "email", "uri") else field["type"]
            assert mine.kind == {"string": "text"}.get(kind, kind), (name, field["name"])


def test_it_nests_what_the_published_json_schemas_nest():
    for spec in TABLES:
        schema = json.loads(standard_file(*HSDS, "schema", f"{spec.name}.json").read_text())
        nested = {k for k, v in schema["properties"].items() if v.get("type") == "array" or "$ref" in v}
        # Beyond the schemas, the published examples nest an organization's services
        # (organization_full) and a service in a list's service_at_location.
        mine = {n.key for n in NESTING[spec.name]} - EXAMPLE_ONLY.get(spec.name, set())
        assert mine == nested, spec.name


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_it_accepts_every_published_json_example(name):
    data = validate(read_path(standard_file(*HSDS, "examples", name)))
    assert data.errors == []
    assert data.count() > 0 or name == "base.json"


def test_it_accepts_the_published_tabular_example():
    data = validate(read_path(standard_file(*HSDS, "examples", "csv")))
    assert data.errors == []
    assert {t: len(r) for t, r in data.rows.items()} == dict.fromkeys(BY_NAME, 1)
    # The example's four references to records outside it are reported, not refused.
    assert sorted((w.file, w.field) for w in data.warnings) == [
        ("contacts.csv", "organization_id"),
        ("contacts.csv", "service_at_location_id"),
        ("locations.csv", "organization_id"),
        ("taxonomy_terms.csv", "taxonomy_id"),
    ]


def _registry() -> Registry:
    """Every published schema by its file name, so `$ref: "phone.json"` resolves without a network."""
    folder = standard_file(*HSDS, "schema")
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in [*folder.glob("*.json"), *(folder / "compiled").glob("*.json")]
    ]
    return Registry().with_resources(resources)


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": name}, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def test_it_resolves_the_schemas_offline():
    # A nested $ref (service -> organization -> location -> phone) resolves from the local files.
    phone = {"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e"}
    location = {"id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "location_type": "physical", "phones": [phone]}
    organization = {"id": ORG, "name": "x", "description": "x", "locations": [location]}
    bad = {
        "id": "ac148810-d857-441c-9679-408f346de14b",
        "name": "x",
        "status": "active",
        "organization": organization,
    }
    errors = list(_validator("service.json").iter_errors(bad))
    assert [e.message for e in errors] == ["'number' is a required property"]


@pytest.fixture
def program(db):
    return Program.objects.create(name="Directory test", slug="dirtest", jurisdiction="Here")


def _import(program, path):
    return actions.directory_import(actor=Actor.system("tests", program=program), path=path)


def _rows(program):
    return queries.directory_rows(Actor.system("tests", program=program), purpose="tests")


@pytest.mark.parametrize("source", ["csv", "organization_full.json", "service_full.json", "tabular.json"])
def test_it_exports_json_the_published_schemas_accept(program, source):
    _import(program, standard_file(*HSDS, "examples", source))
    documents = to_json(_rows(program))
    organizations = documents["organizations.json"]
    assert organizations["contents"]
    for organization in organizations["contents"]:
        assert list(_validator("organization.json").iter_errors(organization)) == []
        for service in organization.get("services", []):
            assert list(_validator("service.json").iter_errors(service)) == []
    for term in documents["taxonomy_terms.json"]["contents"]:
        assert list(_validator("taxonomy_term.json").iter_errors(term)) == []


def _canonical(rows: dict) -> dict:
    return {table: sorted(json.dumps(v, sort_keys=True) for v in items) for table, items in rows.items()}


def test_it_round_trips_the_tabular_example_losslessly(program, tmp_path):
    source = standard_file(*HSDS, "examples", "csv")
    expected = {t: {i: r.values for i, r in rows.items()} for t, rows in read_path(source).rows.items()}
    _import(program, source)
    first = _rows(program)
    assert {t: {v["id"]: v for v in items} for t, items in first.items()} == expected
    for name, text in to_tabular(first).items():
        (tmp_path / name).write_text(text)
    again = Program.objects.create(name="Again", slug="again", jurisdiction="There")
    _import(again, tmp_path)
    assert _canonical(_rows(again)) == _canonical(first)


def test_it_round_trips_compound_json(program, tmp_path):
    _import(program, standard_file(*HSDS, "examples", "organization_full.json"))
    first = _rows(program)
    for name, doc in to_json(first).items():
        (tmp_path / name).write_text(json.dumps(doc))
    again = Program.objects.create(name="Again", slug="again", jurisdiction="There")
    _import(again, tmp_path)
    assert _canonical(_rows(again)) == _canonical(first)


def test_it_reimports_the_same_file_without_duplicates(program, tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(standard_file(*HSDS, "examples", "csv"), folder)
    first = _import(program, folder)
    second = _import(program, folder)
    assert sum(second.created.values()) == 0
    assert sum(second.updated.values()) == sum(first.created.values()) == 21
