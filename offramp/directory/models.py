"""The service directory: one model per HSDS 3.0 table, each row belonging to an offramp program.

Columns mirror `hsds.py` one to one, so import and export are a plain mapping and a
round trip is lossless: text is kept as given (dates and times too, after validation),
a missing value is NULL, and references between records are kept as the HSDS
identifiers they are (a reference to a record outside the data set survives a round
trip). Directory data is not participant data: reads are open to the program's staff,
changes go through `actions.py`.
"""

# NULL means "the file gave no value", which HSDS distinguishes from an empty string only by absence;
# keeping NULL lets export leave the field out exactly as it came in.
# ruff: noqa: DJ001

from django.db import models


class Record(models.Model):
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    hsds_id = models.UUIDField(help_text="The record's HSDS identifier")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, "name", None) or self.hsds_id)


class Organization(Record):
    """HSDS `organization` (organizations.csv)."""

    name = models.TextField(null=True, blank=True)
    alternate_name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    email = models.TextField(null=True, blank=True)
    website = models.TextField(null=True, blank=True)
    tax_status = models.TextField(null=True, blank=True)
    tax_id = models.TextField(null=True, blank=True)
    year_incorporated = models.FloatField(null=True, blank=True)
    legal_status = models.TextField(null=True, blank=True)
    logo = models.TextField(null=True, blank=True)
    uri = models.TextField(null=True, blank=True)
    parent_organization_id = models.UUIDField(null=True, blank=True)

    class Meta:
        db_table = "directory_organization"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_organization_id")
        ]


class HsdsProgram(Record):
    """HSDS `program` (programs.csv)."""

    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.TextField(null=True, blank=True)
    alternate_name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_program"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_program_id")]


class Service(Record):
    """HSDS `service` (services.csv)."""

    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    hsds_program_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.TextField(null=True, blank=True)
    alternate_name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    url = models.TextField(null=True, blank=True)
    email = models.TextField(null=True, blank=True)
    status = models.TextField(null=True, blank=True)
    interpretation_services = models.TextField(null=True, blank=True)
    application_process = models.TextField(null=True, blank=True)
    fees_description = models.TextField(null=True, blank=True)
    wait_time = models.TextField(null=True, blank=True)
    fees = models.TextField(null=True, blank=True)
    accreditations = models.TextField(null=True, blank=True)
    eligibility_description = models.TextField(null=True, blank=True)
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    assured_date = models.CharField(max_length=40, null=True, blank=True)
    assurer_email = models.TextField(null=True, blank=True)
    licenses = models.TextField(null=True, blank=True)
    alert = models.TextField(null=True, blank=True)
    last_modified = models.CharField(max_length=40, null=True, blank=True)

    class Meta:
        db_table = "directory_service"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_service_id")]


class Attribute(Record):
    """HSDS `attribute` (attributes.csv)."""

    link_id = models.UUIDField(null=True, blank=True, db_index=True)
    taxonomy_term_id = models.UUIDField(null=True, blank=True, db_index=True)
    link_type = models.TextField(null=True, blank=True)
    link_entity = models.TextField(null=True, blank=True)
    value = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_attribute"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_attribute_id")]


class ServiceAtLocation(Record):
    """HSDS `service_at_location` (service_at_location.csv)."""

    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    description = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_service_at_location"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_service_at_location_id")
        ]


class Location(Record):
    """HSDS `location` (locations.csv)."""

    location_type = models.TextField(null=True, blank=True)
    url = models.TextField(null=True, blank=True)
    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.TextField(null=True, blank=True)
    alternate_name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    transportation = models.TextField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.TextField(null=True, blank=True)
    external_identifier_type = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_location"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_location_id")]
        indexes = [models.Index(fields=["program", "latitude", "longitude"], name="directory_location_point")]


class Phone(Record):
    """HSDS `phone` (phones.csv)."""

    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    contact_id = models.UUIDField(null=True, blank=True, db_index=True)
    service_at_location_id = models.UUIDField(null=True, blank=True, db_index=True)
    number = models.TextField(null=True, blank=True)
    extension = models.FloatField(null=True, blank=True)
    type = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_phone"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_phone_id")]


class Contact(Record):
    """HSDS `contact` (contacts.csv)."""

    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    service_at_location_id = models.UUIDField(null=True, blank=True, db_index=True)
    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.TextField(null=True, blank=True)
    title = models.TextField(null=True, blank=True)
    department = models.TextField(null=True, blank=True)
    email = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_contact"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_contact_id")]


class Address(Record):
    """HSDS `address` (addresses.csv)."""

    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    attention = models.TextField(null=True, blank=True)
    address_1 = models.TextField(null=True, blank=True)
    address_2 = models.TextField(null=True, blank=True)
    city = models.TextField(null=True, blank=True)
    region = models.TextField(null=True, blank=True)
    state_province = models.TextField(null=True, blank=True)
    postal_code = models.TextField(null=True, blank=True)
    country = models.TextField(null=True, blank=True)
    address_type = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_address"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_address_id")]


class Schedule(Record):
    """HSDS `schedule` (schedules.csv)."""

    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    service_at_location_id = models.UUIDField(null=True, blank=True, db_index=True)
    valid_from = models.CharField(max_length=40, null=True, blank=True)
    valid_to = models.CharField(max_length=40, null=True, blank=True)
    dtstart = models.CharField(max_length=40, null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True)
    until = models.CharField(max_length=40, null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    wkst = models.TextField(null=True, blank=True)
    freq = models.TextField(null=True, blank=True)
    interval = models.FloatField(null=True, blank=True)
    byday = models.TextField(null=True, blank=True)
    byweekno = models.TextField(null=True, blank=True)
    bymonthday = models.TextField(null=True, blank=True)
    byyearday = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    opens_at = models.CharField(max_length=40, null=True, blank=True)
    closes_at = models.CharField(max_length=40, null=True, blank=True)
    schedule_link = models.TextField(null=True, blank=True)
    attending_type = models.TextField(null=True, blank=True)
    notes = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_schedule"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_schedule_id")]


class Funding(Record):
    """HSDS `funding` (funding.csv)."""

    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    source = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_funding"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_funding_id")]


class ServiceArea(Record):
    """HSDS `service_area` (service_areas.csv)."""

    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    extent = models.TextField(null=True, blank=True)
    extent_type = models.TextField(null=True, blank=True)
    uri = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_service_area"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_service_area_id")
        ]


class RequiredDocument(Record):
    """HSDS `required_document` (required_documents.csv)."""

    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    document = models.TextField(null=True, blank=True)
    uri = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_required_document"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_required_document_id")
        ]


class Language(Record):
    """HSDS `language` (languages.csv)."""

    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    phone_id = models.UUIDField(null=True, blank=True, db_index=True)
    name = models.TextField(null=True, blank=True)
    code = models.TextField(null=True, blank=True)
    note = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_language"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_language_id")]


class Accessibility(Record):
    """HSDS `accessibility` (accessibility.csv)."""

    location_id = models.UUIDField(null=True, blank=True, db_index=True)
    description = models.TextField(null=True, blank=True)
    details = models.TextField(null=True, blank=True)
    url = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_accessibility"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_accessibility_id")
        ]


class TaxonomyTerm(Record):
    """HSDS `taxonomy_term` (taxonomy_terms.csv)."""

    code = models.TextField(null=True, blank=True)
    name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    parent_id = models.UUIDField(null=True, blank=True, db_index=True)
    taxonomy = models.TextField(null=True, blank=True)
    language = models.TextField(null=True, blank=True)
    taxonomy_id = models.UUIDField(null=True, blank=True, db_index=True)
    term_uri = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_taxonomy_term"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_taxonomy_term_id")
        ]


class Metadata(Record):
    """HSDS `metadata` (metadata.csv)."""

    resource_id = models.UUIDField(null=True, blank=True, db_index=True)
    resource_type = models.TextField(null=True, blank=True)
    last_action_date = models.CharField(max_length=40, null=True, blank=True)
    last_action_type = models.TextField(null=True, blank=True)
    field_name = models.TextField(null=True, blank=True)
    previous_value = models.TextField(null=True, blank=True)
    replacement_value = models.TextField(null=True, blank=True)
    updated_by = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_metadata"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_metadata_id")]


class MetaTableDescription(Record):
    """HSDS `meta_table_description` (meta_table_descriptions.csv)."""

    name = models.TextField(null=True, blank=True)
    language = models.TextField(null=True, blank=True)
    character_set = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_meta_table_description"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_meta_table_description_id")
        ]


class CostOption(Record):
    """HSDS `cost_option` (cost_options.csv)."""

    service_id = models.UUIDField(null=True, blank=True, db_index=True)
    valid_from = models.CharField(max_length=40, null=True, blank=True)
    valid_to = models.CharField(max_length=40, null=True, blank=True)
    option = models.TextField(null=True, blank=True)
    currency = models.TextField(null=True, blank=True)
    amount = models.FloatField(null=True, blank=True)
    amount_description = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_cost_option"
        constraints = [
            models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_cost_option_id")
        ]


class OrganizationIdentifier(Record):
    """HSDS `organization_identifier` (organization_identifiers.csv)."""

    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    identifier_scheme = models.TextField(null=True, blank=True)
    identifier_type = models.TextField(null=True, blank=True)
    identifier = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_organization_identifier"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"], name="directory_organization_identifier_id"
            )
        ]


class Taxonomy(Record):
    """HSDS `taxonomy` (taxonomies.csv)."""

    name = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    uri = models.TextField(null=True, blank=True)
    version = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "directory_taxonomy"
        constraints = [models.UniqueConstraint(fields=["program", "hsds_id"], name="directory_taxonomy_id")]


# Every directory model by HSDS table name.
MODELS = {
    "organization": Organization,
    "program": HsdsProgram,
    "service": Service,
    "attribute": Attribute,
    "service_at_location": ServiceAtLocation,
    "location": Location,
    "phone": Phone,
    "contact": Contact,
    "address": Address,
    "schedule": Schedule,
    "funding": Funding,
    "service_area": ServiceArea,
    "required_document": RequiredDocument,
    "language": Language,
    "accessibility": Accessibility,
    "taxonomy_term": TaxonomyTerm,
    "metadata": Metadata,
    "meta_table_description": MetaTableDescription,
    "cost_option": CostOption,
    "organization_identifier": OrganizationIdentifier,
    "taxonomy": Taxonomy,
}
