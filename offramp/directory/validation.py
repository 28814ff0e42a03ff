"""The rules between records: required fields, uniqueness and foreign keys. Pure: no database.

Values were checked one by one as they were read (`checks.py`); here the data set is
checked as a whole, against what the program's directory already holds (`known`),
since an import adds to and updates the directory rather than replacing it.

A reference to a record that is neither in the file nor in the directory is an error
when the field is required (a service's organization, a service-at-location's
service and location, ...) and a warning when it is optional: HSDS extracts often
point at records outside the extract (the published examples do), and the reference
is kept as given.
"""

from offramp.directory.hsds import TABLES
from offramp.directory.reading import Dataset, place

REQUIRED = "is required"
NOT_UNIQUE = "must be unique, but {value!r} is also used by {other}"
MISSING_REQUIRED_REF = "points to {table} {value}, which is not in the file nor in the directory"
MISSING_OPTIONAL_REF = (
    "points to {table} {value}, which is not in the file nor in the directory; kept as given"
)


def validate(data: Dataset, known: dict | None = None, taken: dict | None = None) -> Dataset:
    """Add every rule's problems to `data.problems`.

    known: table -> ids the directory already holds.
    taken: (table, field) -> {value: id} for unique fields already used in the directory.
    """
    known = known or {}
    taken = taken or {}
    for spec in TABLES:
        rows = data.rows[spec.name]
        for f in spec.fields:
            used = {}
            for value, rid in taken.get((spec.name, f.name), {}).items():
                if rid not in rows:  # a record in the file replaces its stored self
                    used[value] = f"{spec.name} {rid} in the directory"
            for row in rows.values():
                value = row.values.get(f.name)
                if value is None:
                    if f.required:
                        data.error(row.file, row.where, f.name, REQUIRED)
                    continue
                if f.unique and f.name != "id":
                    if value in used:
                        data.error(
                            row.file, row.where, f.name, NOT_UNIQUE.format(value=value, other=used[value])
                        )
                    else:
                        used[value] = f"{place(row.where)} of {row.file}"
                if f.ref and value not in data.rows[f.ref] and value not in known.get(f.ref, ()):
                    message = MISSING_REQUIRED_REF if f.required else MISSING_OPTIONAL_REF
                    problem = data.error if f.required else data.warn
                    problem(row.file, row.where, f.name, message.format(table=f.ref, value=value))
    return data
