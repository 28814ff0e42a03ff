"""Open Referral HSDS 3.0, as this product needs it: tables, fields, rules and how the JSON nests.

Stated here in code (the product reads no standard files at run time). Field names,
types, formats, requirement and uniqueness flags, enumerations and foreign keys follow
the HSDS 3.0 tabular data package; `NESTING` follows the compound JSON objects
(`service_full`, `organization_full`, ...). tests/directory/test_hsds_conformance.py
checks this module against the published datapackage.json and schemas.

Kinds: text, number, date, time, datetime, uuid, email, uri.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class F:
    name: str
    kind: str
    required: bool = False
    unique: bool = False
    enum: tuple = ()
    ref: str = ""  # the table a foreign key points to


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # file name in the tabular data package
    fields: tuple

    @property
    def field_names(self) -> tuple:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> F | None:
        return next((f for f in self.fields if f.name == name), None)


TABLES = (
    Table(
        "organization",
        "organizations.csv",
        (
            F("id", "uuid", required=True),
            F("name", "text", required=True),
            F("alternate_name", "text"),
            F("description", "text", required=True),
            F("email", "email"),
            F("website", "uri"),
            F("tax_status", "text"),
            F("tax_id", "text"),
            F("year_incorporated", "number"),
            F("legal_status", "text"),
            F("logo", "text"),
            F("uri", "uri"),
            F("parent_organization_id", "uuid"),
        ),
    ),
    Table(
        "program",
        "programs.csv",
        (
            F("id", "uuid", required=True),
            F("organization_id", "uuid", required=True, unique=True, ref="organization"),
            F("name", "text", required=True),
            F("alternate_name", "text"),
            F("description", "text", required=True),
        ),
    ),
    Table(
        "service",
        "services.csv",
        (
            F("id", "uuid", required=True),
            F("organization_id", "uuid", required=True, ref="organization"),
            F("program_id", "uuid", ref="program"),
            F("name", "text", required=True),
            F("alternate_name", "text"),
            F("description", "text"),
            F("url", "uri"),
            F("email", "email"),
            F("status", "text", required=True, enum=("active", "inactive", "defunct", "temporarily closed")),
            F("interpretation_services", "text"),
            F("application_process", "text"),
            F("fees_description", "text"),
            F("wait_time", "text"),
            F("fees", "text"),
            F("accreditations", "text"),
            F("eligibility_description", "text"),
            F("minimum_age", "number"),
            F("maximum_age", "number"),
            F("assured_date", "date"),
            F("assurer_email", "email"),
            F("licenses", "text"),
            F("alert", "text"),
            F("last_modified", "datetime"),
        ),
    ),
    Table(
        "attribute",
        "attributes.csv",
        (
            F("id", "uuid", required=True),
            F("link_id", "uuid", required=True),
            F("taxonomy_term_id", "uuid", required=True, ref="taxonomy_term"),
            F("link_type", "text"),
            F("link_entity", "text", required=True),
            F("value", "text"),
        ),
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        (
            F("id", "uuid", required=True),
            F("service_id", "uuid", required=True, ref="service"),
            F("location_id", "uuid", required=True, ref="location"),
            F("description", "text"),
        ),
    ),
    Table(
        "location",
        "locations.csv",
        (
            F("id", "uuid", required=True),
            F("location_type", "text", required=True, enum=("physical", "postal", "virtual")),
            F("url", "uri"),
            F("organization_id", "uuid", ref="organization"),
            F("name", "text"),
            F("alternate_name", "text"),
            F("description", "text"),
            F("transportation", "text"),
            F("latitude", "number"),
            F("longitude", "number"),
            F("external_identifier", "text"),
            F("external_identifier_type", "text"),
        ),
    ),
    Table(
        "phone",
        "phones.csv",
        (
            F("id", "uuid", required=True),
            F("location_id", "uuid", ref="location"),
            F("service_id", "uuid", ref="service"),
            F("organization_id", "uuid", ref="organization"),
            F("contact_id", "uuid", ref="contact"),
            F("service_at_location_id", "uuid", ref="service_at_location"),
            F("number", "text", required=True),
            F("extension", "number"),
            F("type", "text"),
            F("description", "text"),
        ),
    ),
    Table(
        "contact",
        "contacts.csv",
        (
            F("id", "uuid", required=True),
            F("organization_id", "uuid", ref="organization"),
            F("service_id", "uuid", ref="service"),
            F("service_at_location_id", "uuid", ref="service_at_location"),
            F("location_id", "uuid", ref="location"),
            F("name", "text"),
            F("title", "text"),
            F("department", "text"),
            F("email", "email"),
        ),
    ),
    Table(
        "address",
        "addresses.csv",
        (
            F("id", "uuid", required=True),
            F("location_id", "uuid", ref="location"),
            F("attention", "text"),
            F("address_1", "text", required=True),
            F("address_2", "text"),
            F("city", "text", required=True),
            F("region", "text"),
            F("state_province", "text", required=True),
            F("postal_code", "text", required=True),
            F("country", "text", required=True),
            F("address_type", "text", required=True, enum=("physical", "postal", "virtual")),
        ),
    ),
    Table(
        "schedule",
        "schedules.csv",
        (
            F("id", "uuid", required=True),
            F("service_id", "uuid", ref="service"),
            F("location_id", "uuid", ref="location"),
            F("service_at_location_id", "uuid", ref="service_at_location"),
            F("valid_from", "date"),
            F("valid_to", "date"),
            F("dtstart", "date"),
            F("timezone", "number"),
            F("until", "date"),
            F("count", "number"),
            F("wkst", "text", enum=("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
            F("freq", "text", enum=("WEEKLY", "MONTHLY")),
            F("interval", "number"),
            F("byday", "text"),
            F("byweekno", "text"),
            F("bymonthday", "text"),
            F("byyearday", "text"),
            F("description", "text"),
            F("opens_at", "time"),
            F("closes_at", "time"),
            F("schedule_link", "uri"),
            F("attending_type", "text"),
            F("notes", "text"),
        ),
    ),
    Table(
        "funding",
        "funding.csv",
        (
            F("id", "uuid", required=True),
            F("organization_id", "uuid", ref="organization"),
            F("service_id", "uuid", ref="service"),
            F("source", "text"),
        ),
    ),
    Table(
        "service_area",
        "service_areas.csv",
        (
            F("id", "uuid", required=True),
            F("service_id", "uuid", ref="service"),
            F("name", "text"),
            F("description", "text"),
            F("extent", "text"),
            F("extent_type", "text"),
            F("uri", "text"),
        ),
    ),
    Table(
        "required_document",
        "required_documents.csv",
        (
            F("id", "uuid", required=True),
            F("service_id", "uuid", ref="service"),
            F("document", "text"),
            F("uri", "uri"),
        ),
    ),
    Table(
        "language",
        "languages.csv",
        (
            F("id", "uuid", required=True),
            F("service_id", "uuid", ref="service"),
            F("location_id", "uuid", ref="location"),
            F("phone_id", "uuid", ref="phone"),
            F("name", "text"),
            F("code", "text"),
            F("note", "text"),
        ),
    ),
    Table(
        "accessibility",
        "accessibility.csv",
        (
            F("id", "uuid", required=True),
            F("location_id", "uuid", ref="location"),
            F("description", "text"),
            F("details", "text"),
            F("url", "uri"),
        ),
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        (
            F("id", "uuid", required=True),
            F("code", "text", unique=True),
            F("name", "text", required=True),
            F("description", "text", required=True),
            F("parent_id", "uuid"),
            F("taxonomy", "text"),
            F("language", "text"),
            F("taxonomy_id", "uuid", ref="taxonomy"),
            F("term_uri", "uri"),
        ),
    ),
    Table(
        "metadata",
        "metadata.csv",
        (
            F("id", "uuid", required=True),
            F("resource_id", "uuid", required=True),
            F("resource_type", "text", required=True),
            F("last_action_date", "date", required=True),
            F("last_action_type", "text", required=True),
            F("field_name", "text", required=True),
            F("previous_value", "text", required=True),
            F("replacement_value", "text", required=True),
            F("updated_by", "text", required=True),
        ),
    ),
    Table(
        "meta_table_description",
        "meta_table_descriptions.csv",
        (
            F("id", "uuid", required=True),
            F("name", "text"),
            F("language", "text"),
            F("character_set", "text"),
        ),
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        (
            F("id", "uuid", required=True),
            F("service_id", "uuid", required=True, ref="service"),
            F("valid_from", "date"),
            F("valid_to", "date"),
            F("option", "text"),
            F("currency", "text"),
            F("amount", "number"),
            F("amount_description", "text"),
        ),
    ),
    Table(
        "organization_identifier",
        "organization_identifiers.csv",
        (
            F("id", "uuid", required=True),
            F("organization_id", "uuid", required=True, ref="organization"),
            F("identifier_scheme", "text"),
            F("identifier_type", "text", required=True),
            F("identifier", "text", required=True),
        ),
    ),
    Table(
        "taxonomy",
        "taxonomies.csv",
        (
            F("id", "uuid", required=True),
            F("name", "text", required=True),
            F("description", "text", required=True),
            F("uri", "uri"),
            F("version", "text"),
        ),
    ),
)
BY_NAME = {t.name: t for t in TABLES}
BY_PATH = {t.path: t for t in TABLES}

# Tables in an order where every foreign key points to a table listed earlier.
LOAD_ORDER = (
    "organization",
    "program",
    "service",
    "location",
    "service_at_location",
    "contact",
    "phone",
    "language",
    "address",
    "schedule",
    "funding",
    "service_area",
    "required_document",
    "accessibility",
    "cost_option",
    "organization_identifier",
    "taxonomy",
    "taxonomy_term",
    "attribute",
    "metadata",
    "meta_table_description",
)

# Columns renamed in the database: `id` is the HSDS identifier, and a service's HSDS
# `program_id` would clash with the offramp program every directory row belongs to.
COLUMNS = {"id": "hsds_id"}
SERVICE_COLUMNS = {"program_id": "hsds_program_id"}


def column(table: str, field: str) -> str:
    if table == "service" and field in SERVICE_COLUMNS:
        return SERVICE_COLUMNS[field]
    return COLUMNS.get(field, field)


@dataclass(frozen=True)
class Nest:
    """A key under which a compound JSON object holds related records.

    link "child": each child's `field` holds the parent's id (a service's phones).
    link "parent": the parent's `field` holds the child's id (a service's organization).
    link "attached": attributes and metadata, which name their parent by id and entity.
    """

    key: str
    table: str
    many: bool
    link: str
    field: str = ""


_ATTACHED = (
    Nest("attributes", "attribute", True, "attached"),
    Nest("metadata", "metadata", True, "attached"),
)
NESTING = {
    "organization": (
        Nest("funding", "funding", True, "child", "organization_id"),
        Nest("contacts", "contact", True, "child", "organization_id"),
        Nest("phones", "phone", True, "child", "organization_id"),
        Nest("locations", "location", True, "child", "organization_id"),
        Nest("programs", "program", True, "child", "organization_id"),
        Nest("organization_identifiers", "organization_identifier", True, "child", "organization_id"),
        Nest("services", "service", True, "child", "organization_id"),
        *_ATTACHED,
    ),
    "service": (
        Nest("phones", "phone", True, "child", "service_id"),
        Nest("schedules", "schedule", True, "child", "service_id"),
        Nest("service_areas", "service_area", True, "child", "service_id"),
        Nest("service_at_locations", "service_at_location", True, "child", "service_id"),
        Nest("languages", "language", True, "child", "service_id"),
        Nest("organization", "organization", False, "parent", "organization_id"),
        Nest("funding", "funding", True, "child", "service_id"),
        Nest("cost_options", "cost_option", True, "child", "service_id"),
        Nest("program", "program", False, "parent", "program_id"),
        Nest("required_documents", "required_document", True, "child", "service_id"),
        Nest("contacts", "contact", True, "child", "service_id"),
        *_ATTACHED,
    ),
    "service_at_location": (
        Nest("contacts", "contact", True, "child", "service_at_location_id"),
        Nest("phones", "phone", True, "child", "service_at_location_id"),
        Nest("schedules", "schedule", True, "child", "service_at_location_id"),
        Nest("location", "location", False, "parent", "location_id"),
        Nest("service", "service", False, "parent", "service_id"),  # in service_at_location lists
        *_ATTACHED,
    ),
    "location": (
        Nest("languages", "language", True, "child", "location_id"),
        Nest("addresses", "address", True, "child", "location_id"),
        Nest("contacts", "contact", True, "child", "location_id"),
        Nest("accessibility", "accessibility", True, "child", "location_id"),
        Nest("phones", "phone", True, "child", "location_id"),
        Nest("schedules", "schedule", True, "child", "location_id"),
        *_ATTACHED,
    ),
    "contact": (Nest("phones", "phone", True, "child", "contact_id"), *_ATTACHED),
    "phone": (Nest("languages", "language", True, "child", "phone_id"), *_ATTACHED),
    "attribute": (
        Nest("taxonomy_term", "taxonomy_term", False, "parent", "taxonomy_term_id"),
        Nest("metadata", "metadata", True, "attached"),
    ),
    "taxonomy_term": (
        Nest("taxonomy_detail", "taxonomy", False, "parent", "taxonomy_id"),
        Nest("metadata", "metadata", True, "attached"),
    ),
    "taxonomy": (Nest("metadata", "metadata", True, "attached"),),
    "metadata": (),
}
for _table in BY_NAME:
    NESTING.setdefault(_table, _ATTACHED)

# How an attached record names its parent: (id field, entity field).
ATTACHED_FIELDS = {"attribute": ("link_id", "link_entity"), "metadata": ("resource_id", "resource_type")}

# The fields of a paginated HSDS API list ({"contents": [...]}).
PAGE_FIELDS = {
    "total_items": "number",
    "total_pages": "number",
    "page_number": "number",
    "size": "number",
    "first_page": "boolean",
    "last_page": "boolean",
    "empty": "boolean",
}
