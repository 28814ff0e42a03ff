"""Reading HSDS files into rows per table, with every problem named by file, row or path, and field.

Accepted: a compound JSON object (`service_full`, `organization_full`,
`service_at_location_full`, a location, a taxonomy or taxonomy term), a paginated
list of them (`{"contents": [...]}`), a JSON array of them, the tabular JSON form
(`{"services.csv": [...]}`), a tabular data package (a folder or zip of CSV files
with datapackage.json), or a folder or zip of JSON files. Pure: no database.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from offramp.directory.checks import coerce
from offramp.directory.hsds import ATTACHED_FIELDS, BY_NAME, BY_PATH, NESTING, PAGE_FIELDS, F
from offramp.files.archives import read_zip
from offramp.files.cells import unsafe_cell
from offramp.files.documents import load_json, read_text
from offramp.files.problems import InvalidFile, Problem

API_BASE_FIELDS = {
    "version": F("version", "text"),
    "profile": F("profile", "uri"),
    "openapi_url": F("openapi_url", "uri"),
}

MAX_BYTES = 50 * 1024 * 1024  # a whole county's directory is a few MB; refuse anything absurd

NOT_AN_OBJECT = "must be a JSON object"
NOT_A_LIST = "must be a list of objects"
UNKNOWN_SHAPE = "is not an HSDS object: expected a service, organization, service at location, location, taxonomy or taxonomy term (or a list of them)"  # noqa: E501
UNKNOWN_FIELD = "is not an HSDS 3.0 field here; ignored"
UNKNOWN_FILE = "is not an HSDS 3.0 table; ignored"
MISSING_ID = "is required: every record needs an id"
DUPLICATE_ID = "repeats the id at {where}; ids must be unique"
CONFLICT = "differs where the same record appears at {where} ({a!r} there, {b!r} here)"
CONTRADICTS_NESTING = "is {value} but the record sits under {table} {parent}"
NO_DATAPACKAGE = "no datapackage.json: read the CSV files by their HSDS names"
BAD_DATAPACKAGE = "datapackage.json has no list of resources"
NOTHING = "holds no HSDS files (.json, or .csv with datapackage.json)"
NO_SUCH_PATH = "does not exist"
MISSING_VERSION = "is required: the HSDS version the API follows"


def place(where: int | str) -> str:
    """A record's place in its file, as a message names it: "line 3" or "$.phones[0]"."""
    return f"line {where}" if isinstance(where, int) else where


@dataclass
class Row:
    table: str
    values: dict  # HSDS field name -> value; absent fields are missing
    file: str
    where: int | str  # a CSV line, or a JSON path such as "$.phones[0]"


@dataclass
class Dataset:
    rows: dict = field(default_factory=lambda: {name: {} for name in BY_NAME})
    problems: list = field(default_factory=list)

    def error(self, file, where, field_name, message):
        self.problems.append(Problem(message, file=file, where=where, field=field_name))

    def warn(self, file, where, field_name, message):
        self.problems.append(Problem(message, file=file, where=where, field=field_name, warning=True))

    def refused(self, exc: InvalidFile) -> None:
        """A file the shared reader refused (not UTF-8, not JSON, too deep, not a zip, ...)."""
        self.problems.extend(exc.problems)

    @property
    def errors(self) -> list:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list:
        return [p for p in self.problems if p.warning]

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def add(self, row: Row) -> Row:
        """Add a record, merging it with an earlier appearance of the same id (compound JSON repeats them)."""
        rid = row.values["id"]
        earlier = self.rows[row.table].get(rid)
        if earlier is None:
            self.rows[row.table][rid] = row
            return row
        for name, value in row.values.items():
            if name not in earlier.values:
                earlier.values[name] = value
            elif earlier.values[name] != value:
                self.error(
                    row.file,
                    row.where,
                    name,
                    CONFLICT.format(where=place(earlier.where), a=earlier.values[name], b=value),
                )
        return earlier


# ---- JSON ---------------------------------------------------------------------------------------


def _guess_table(obj: dict) -> str | None:
    """Which HSDS object a top-level JSON object is, by the fields only that object has."""
    keys = set(obj)
    if keys & {"status", "service_at_locations", "service_areas", "cost_options", "required_documents"}:
        return "service"
    if "location_type" in keys or keys & {"addresses", "accessibility"}:
        return "location"
    if keys & {"location", "service"}:
        return "service_at_location"
    if keys & {"taxonomy_detail", "parent_id", "term_uri", "taxonomy", "taxonomy_id", "code", "language"}:
        return "taxonomy_term"
    if "version" in keys and keys <= set(BY_NAME["taxonomy"].field_names) | {"metadata"}:
        return "taxonomy"
    if keys <= set(BY_NAME["organization"].field_names) | {n.key for n in NESTING["organization"]}:
        return "organization" if "id" in keys else None
    return None


def _walk(data: Dataset, obj, table: str, file: str, where: str, parent=None) -> str | None:
    """Read one JSON object of `table` and what it nests; returns its id (None if unusable).

    parent: (table, id, Nest) when the object sits under another one.
    """
    if not isinstance(obj, dict):
        data.error(file, where, "", NOT_AN_OBJECT)
        return None
    spec = BY_NAME[table]
    nests = {n.key: n for n in NESTING[table]}
    values = {}
    for key, raw in obj.items():
        f = spec.field(key)
        if f is not None:
            value, problem = coerce(f, raw, from_text=False)
            if problem:
                data.error(file, where, key, problem)
            elif value is not None:
                values[key] = value
        elif key not in nests:
            data.warn(file, where, key, UNKNOWN_FIELD)
    if "id" not in values:
        if "id" not in obj:
            data.error(file, where, "id", MISSING_ID)
        return None
    if parent is not None:
        _link_to_parent(data, values, table, parent, file, where)
    for key, nest in nests.items():
        if key not in obj or obj[key] is None:
            continue
        inner = f"{where}.{key}"
        if nest.many:
            if not isinstance(obj[key], list):
                data.error(file, inner, "", NOT_A_LIST)
                continue
            for i, child in enumerate(obj[key]):
                _walk(data, child, nest.table, file, f"{inner}[{i}]", (table, values["id"], nest))
        else:
            child_id = _walk(data, obj[key], nest.table, file, inner, (table, values["id"], nest))
            if nest.link == "parent" and child_id is not None:
                if values.get(nest.field, child_id) != child_id:
                    data.error(
                        file,
                        where,
                        nest.field,
                        CONTRADICTS_NESTING.format(
                            value=values[nest.field], table=nest.table, parent=child_id
                        ),
                    )
                values[nest.field] = child_id
    data.add(Row(table, values, file, where))
    return values["id"]


def _link_to_parent(data, values, table, parent, file, where):
    parent_table, parent_id, nest = parent
    if nest.link == "child":
        name, entity = nest.field, None
    elif nest.link == "attached":
        name, entity = ATTACHED_FIELDS[table]
    else:
        return  # the parent points at this record; the parent's own walk sets that
    if values.get(name, parent_id) != parent_id:
        message = CONTRADICTS_NESTING.format(value=values[name], table=parent_table, parent=parent_id)
        data.error(file, where, name, message)
    values[name] = parent_id
    if entity:
        values.setdefault(entity, parent_table)


def _infer_program_organisations(data: Dataset) -> None:
    """A program nested in a service belongs to that service's organization (HSDS nests it without one)."""
    for service in data.rows["service"].values():
        program = data.rows["program"].get(service.values.get("program_id"))
        if program and "organization_id" not in program.values and "organization_id" in service.values:
            program.values["organization_id"] = service.values["organization_id"]


def read_json_document(data: Dataset, doc, file: str) -> None:
    """Any JSON shape HSDS publishes (see the module docstring)."""
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            read_json_document_item(data, item, file, f"$[{i}]")
    elif isinstance(doc, dict) and doc and all(isinstance(k, str) and k.endswith(".csv") for k in doc):
        _read_tabular_json(data, doc, file)
    elif isinstance(doc, dict) and "contents" in doc:
        for key in set(doc) - {"contents"}:
            if key not in PAGE_FIELDS:
                data.warn(file, "$", key, UNKNOWN_FIELD)
        if not isinstance(doc["contents"], list):
            data.error(file, "$.contents", "", NOT_A_LIST)
            return
        for i, item in enumerate(doc["contents"]):
            read_json_document_item(data, item, file, f"$.contents[{i}]")
    elif isinstance(doc, dict) and "id" not in doc and "openapi_url" in doc:
        _read_api_base(data, doc, file)
    else:
        read_json_document_item(data, doc, file, "$")
    _infer_program_organisations(data)


def _read_api_base(data: Dataset, doc: dict, file: str) -> None:
    """An HSDS API's base document (version, profile, openapi_url): valid, but it holds no records."""
    for key, value in doc.items():
        if key not in API_BASE_FIELDS:
            data.warn(file, "$", key, UNKNOWN_FIELD)
            continue
        _value, problem = coerce(API_BASE_FIELDS[key], value, from_text=False)
        if problem:
            data.error(file, "$", key, problem)
    if not isinstance(doc.get("version"), str):
        data.error(file, "$", "version", MISSING_VERSION)


def read_json_document_item(data: Dataset, item, file: str, where: str) -> None:
    if not isinstance(item, dict):
        data.error(file, where, "", NOT_AN_OBJECT)
        return
    table = _guess_table(item)
    if table is None:
        data.error(file, where, "", UNKNOWN_SHAPE)
        return
    _walk(data, item, table, file, where)


def _read_tabular_json(data: Dataset, doc: dict, file: str) -> None:
    for path, rows in doc.items():
        spec = BY_PATH.get(path)
        if spec is None:
            data.warn(file, f"$['{path}']", "", UNKNOWN_FILE)
            continue
        if not isinstance(rows, list):
            data.error(file, f"$['{path}']", "", NOT_A_LIST)
            continue
        seen = {}
        for i, raw in enumerate(rows):
            where = f"$['{path}'][{i}]"
            if not isinstance(raw, dict):
                data.error(file, where, "", NOT_AN_OBJECT)
                continue
            _read_flat_row(data, spec, raw, file, where, from_text=False, seen=seen)


# ---- tables (CSV and tabular JSON) --------------------------------------------------------------


def _read_flat_row(data, spec, raw: dict, file, where, *, from_text, seen: dict) -> None:
    values = {}
    for key, cell in raw.items():
        f = spec.field(key)
        if f is None:
            continue  # unknown columns are reported once per file, from the header
        if (
            not from_text
            and f.kind == "text"
            and isinstance(cell, (int, float))
            and not isinstance(cell, bool)
        ):
            cell = str(cell)  # tabular JSON types numeric-looking cells (an identifier 10092008082)
        value, problem = coerce(f, cell, from_text=from_text)
        if problem:
            data.error(file, where, key, problem)
        elif value is not None:
            values[key] = value
    if "id" not in values:
        if raw.get("id") in (None, ""):
            data.error(file, where, "id", MISSING_ID)
        return
    if values["id"] in seen:
        data.error(file, where, "id", DUPLICATE_ID.format(where=seen[values["id"]]))
        return
    seen[values["id"]] = place(where)
    data.rows[spec.name][values["id"]] = Row(spec.name, values, file, where)


def read_csv(data: Dataset, text: str, spec, file: str) -> None:
    reader = csv.DictReader(io.StringIO(text))
    for column in reader.fieldnames or ():
        if spec.field(column) is None:
            data.warn(file, 1, column, UNKNOWN_FIELD)
    seen = {}
    for raw in reader:
        raw.pop(None, None)  # cells beyond the header
        raw = {k: unsafe_cell(v) if isinstance(v, str) else v for k, v in raw.items()}
        _read_flat_row(data, spec, raw, file, reader.line_num, from_text=True, seen=seen)


def _table_paths(data: Dataset, files: dict) -> dict:
    """HSDS table -> file name, from datapackage.json when there is one."""
    descriptor = files.get("datapackage.json")
    if descriptor is None:
        data.warn("datapackage.json", "", "", NO_DATAPACKAGE)
        return {t.name: t.path for t in BY_PATH.values()}
    try:
        package = load_json(descriptor, file="datapackage.json")
    except InvalidFile as exc:
        data.refused(exc)
        return {}
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        data.error("datapackage.json", "", "resources", BAD_DATAPACKAGE)
        return {}
    paths = {}
    for i, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        if name in BY_NAME and isinstance(resource.get("path"), str):
            paths[name] = resource["path"]
        else:
            data.warn("datapackage.json", f"$.resources[{i}]", "name", UNKNOWN_FILE)
    return paths


# ---- files, folders and zips --------------------------------------------------------------------


def _decode(data: Dataset, name: str, raw: bytes) -> str | None:
    try:
        return read_text(raw, file=name, max_bytes=MAX_BYTES)
    except InvalidFile as exc:
        data.refused(exc)
        return None


def read_files(files: dict[str, bytes]) -> Dataset:
    """A set of files by name (a folder's or a zip's), as one data set."""
    data = Dataset()
    csvs = {n: b for n, b in files.items() if n.lower().endswith(".csv")}
    jsons = {n: b for n, b in files.items() if n.lower().endswith(".json") and n != "datapackage.json"}
    if not csvs and not jsons:
        data.error("", "", "", NOTHING)
        return data
    if csvs:
        paths = _table_paths(data, files)
        tables = {path: BY_NAME[name] for name, path in paths.items()}
        for name in sorted(csvs):
            spec = tables.get(name)
            if spec is None:
                data.warn(name, "", "", UNKNOWN_FILE)
                continue
            text = _decode(data, name, csvs[name])
            if text is not None:
                read_csv(data, text, spec, name)
    for name in sorted(jsons):
        try:
            doc = load_json(jsons[name], file=name, max_bytes=MAX_BYTES)
        except InvalidFile as exc:
            data.refused(exc)
            continue
        read_json_document(data, doc, name)
    return data


def read_path(path: Path) -> Dataset:
    """A .json file, a .zip, or a folder."""
    path = Path(path)
    if not path.exists():
        data = Dataset()
        data.error(str(path), "", "", NO_SUCH_PATH)
        return data
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    elif path.suffix.lower() == ".zip":
        try:
            files = read_zip(path, max_bytes=MAX_BYTES)
        except InvalidFile as exc:
            data = Dataset()
            data.refused(exc)
            return data
    else:
        files = {path.name: path.read_bytes()}
    return read_files(files)
