"""Writing a directory as HSDS: the tabular data package (CSV + datapackage.json) and compound JSON.

Input is rows per table: {table: [ {HSDS field: value} ]}, with absent values left
out. Pure: no database. The tabular package carries every record; the JSON holds the
organizations (each an `organization_full`, its services `service_full` without the
organization repeated) and the taxonomy terms, so records that no organization reaches
(a location linked to nothing, a stray phone) travel only in the tabular form.
"""

import io
import json
from collections import defaultdict

from offramp.directory.checks import number_out
from offramp.directory.hsds import ATTACHED_FIELDS, BY_NAME, NESTING, TABLES
from offramp.files.cells import csv_writer

KINDS = {  # HSDS kind -> Table Schema (type, format)
    "text": ("string", None),
    "uuid": ("string", "uuid"),
    "email": ("string", "email"),
    "uri": ("string", "uri"),
    "number": ("number", None),
    "date": ("date", None),
    "time": ("time", None),
    "datetime": ("datetime", None),
}
# Nested objects not repeated inside their parent: an organization's services do not
# carry the organization again, and a service's locations do not carry the service.
SKIP = {("organization", "service"): {"organization"}, ("service", "service_at_location"): {"service"}}


def _out(table: str, values: dict) -> dict:
    spec = BY_NAME[table]
    obj = {}
    for f in spec.fields:
        value = values.get(f.name)
        if value is not None:
            obj[f.name] = number_out(value) if f.kind == "number" else value
    return obj


def _cell(value) -> str:
    if value is None:
        return ""
    return str(number_out(value)) if isinstance(value, float) else str(value)


def datapackage() -> dict:
    """The data package descriptor for the files `to_tabular` writes."""
    resources = []
    for spec in TABLES:
        fields = []
        for f in spec.fields:
            kind, fmt = KINDS[f.kind]
            field = {"name": f.name, "type": kind}
            if fmt:
                field["format"] = fmt
            constraints = {"required": f.required, "unique": f.unique or f.name == "id"}
            if f.enum:
                constraints["enum"] = list(f.enum)
            field["constraints"] = constraints
            fields.append(field)
        schema = {"primaryKey": "id", "fields": fields}
        keys = [
            {"fields": f.name, "reference": {"resource": f.ref, "fields": "id"}} for f in spec.fields if f.ref
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": spec.name,
                "path": spec.path,
                "format": "csv",
                "mediatype": "text/csv",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    return {
        "name": "human_services_data",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "resources": resources,
    }


def to_tabular(rows: dict) -> dict[str, str]:
    """File name -> text: one CSV per table (with a header even when empty) and datapackage.json."""
    files = {}
    for spec in TABLES:
        out = io.StringIO()
        writer = csv_writer(out, lineterminator="\n")
        writer.writerow(spec.field_names)
        for values in sorted(rows.get(spec.name, ()), key=lambda v: v["id"]):
            writer.writerow([_cell(values.get(name)) for name in spec.field_names])
        files[spec.path] = out.getvalue()
    files["datapackage.json"] = json.dumps(datapackage(), indent=2)
    return files


class _Index:
    def __init__(self, rows: dict):
        self.by_id = {table: {v["id"]: v for v in items} for table, items in rows.items()}
        self.children = defaultdict(list)  # (table, field, parent id) -> rows
        for table, items in rows.items():
            link_fields = [f.name for f in BY_NAME[table].fields if f.ref]
            if table in ATTACHED_FIELDS:
                link_fields.append(ATTACHED_FIELDS[table][0])
            for values in sorted(items, key=lambda v: v["id"]):
                for name in link_fields:
                    if values.get(name):
                        self.children[(table, name, values[name])].append(values)


def _compound(index: _Index, table: str, values: dict, parent_table: str = "") -> dict:
    obj = _out(table, values)
    skip = SKIP.get((parent_table, table), set())
    for nest in NESTING[table]:
        if nest.key in skip:
            continue
        if nest.link == "parent":
            target = index.by_id.get(nest.table, {}).get(values.get(nest.field))
            if target is not None:
                obj[nest.key] = _compound(index, nest.table, target, table)
            continue
        field = nest.field if nest.link == "child" else ATTACHED_FIELDS[nest.table][0]
        children = index.children.get((nest.table, field, values["id"]), [])
        if children:
            obj[nest.key] = [_compound(index, nest.table, child, table) for child in children]
    return obj


def page(contents: list) -> dict:
    """An HSDS API list page holding everything at once."""
    n = len(contents)
    return {
        "total_items": n,
        "total_pages": 1,
        "page_number": 1,
        "size": n,
        "first_page": True,
        "last_page": True,
        "empty": n == 0,
        "contents": contents,
    }


def to_json(rows: dict) -> dict[str, dict]:
    """File name -> document: organizations.json (organization_full objects) and taxonomy_terms.json."""
    index = _Index(rows)
    organizations = [
        _compound(index, "organization", v)
        for v in sorted(rows.get("organization", ()), key=lambda v: v["id"])
    ]
    terms = [
        _compound(index, "taxonomy_term", v)
        for v in sorted(rows.get("taxonomy_term", ()), key=lambda v: v["id"])
    ]
    return {"organizations.json": page(organizations), "taxonomy_terms.json": page(terms)}


def compound_all(rows: dict, table: str) -> list[dict]:
    """Every record of one table as its compound HSDS object (a service as `service_full`), by id:
    what the HSDS API's list and item endpoints answer with."""
    index = _Index(rows)
    return [_compound(index, table, v) for v in sorted(rows.get(table, ()), key=lambda v: v["id"])]
