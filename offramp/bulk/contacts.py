"""The contacts of an imported caseload: one row per contact, naming its case by the caseload file's
`source_id`, read by the shared reader with its own mapping file. The caseload and its contacts load
together or not at all (offramp/bulk/actions.py)."""

import datetime as dt

import polars as pl

from offramp.cases.models import Case, Contact
from offramp.files.mapping import Field, Schema
from offramp.files.problems import Problem

CONTACTS = Schema(
    "contacts",
    (
        Field("case_source_id", required=True, max_length=64),
        Field("date", "date", required=True),
        Field("kind", "choice", required=True, choices=tuple(Contact.Kind.values)),
        Field("successful", "bool"),
        Field("location", max_length=200),
        Field("duration_minutes", "int", low=0, high=24 * 60),
        Field("substance_use", "bool"),
        Field("note", max_length=10_000),
    ),
)
ERR_NO_CASE = "{value!r} is not a source_id in the caseload file"
ERR_BEFORE_CASE = "is before the case was opened ({opened})"


def contact_problems(frame: pl.DataFrame, opened: dict[str, dt.date], file: str, mapping) -> list[Problem]:
    """Every contact whose case is not in the caseload file, or that happened before it opened."""
    found = []

    def bad(line: int, name: str, message: str) -> None:
        found.append(Problem(message, file=file, where=line, field=name, column=mapping.columns[name]))

    for line, source_id, day in frame.select("line", "case_source_id", "date").iter_rows():
        if source_id not in opened:
            bad(line, "case_source_id", ERR_NO_CASE.format(value=source_id))
        elif day < opened[source_id]:
            bad(line, "date", ERR_BEFORE_CASE.format(opened=opened[source_id].isoformat()))
    return found


def contacts_for(frame: pl.DataFrame, cases: dict[str, Case], zone) -> list[Contact]:
    """The contacts to store, each on its imported case and recorded as by that case's manager."""
    contacts = []
    for row in frame.iter_rows(named=True):
        case = cases[row["case_source_id"]]
        contacts.append(
            Contact(
                program_id=case.program_id,
                case=case,
                kind=row["kind"],
                successful=True if row.get("successful") is None else row["successful"],
                at=dt.datetime.combine(row["date"], dt.time(12), tzinfo=zone),
                location=row.get("location") or "",
                duration_minutes=row.get("duration_minutes"),
                part2=bool(row.get("substance_use")),
                note=row.get("note") or "",
                by=case.case_manager,
            )
        )
    return contacts
