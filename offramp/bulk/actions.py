"""Bulk import of an existing program's caseload from a spreadsheet export (CSV, XLSX, XLS or ODS): one
row per case, with its person, case manager, status and dates, and the consents on file; and, from a
second file, the cases' contacts (offramp/bulk/contacts.py). Read with the shared reader and a mapping
file per file (offramp/files), like the records import.

Whole or not at all: every problem of both files is named by line and field before anything is
written, and a dry run only reports. A row whose person is already in the program by identity (the same
legal first and last name, normalised, and the same date of birth) joins that person instead of making
them twice. A row that only *may* be someone the program knows (the same date of birth and a tolerant
name match, as the officer's lookup, on a legal name, preferred name or alias; or two people with its
identity) is never joined silently: it is made as a new person, and each pair it may be is suggested for
the case team to confirm or dismiss (offramp.people.actions.link_suggestions_record), with why. A row that
joins someone and is also like another known person suggests that pair too, and two rows of the file
that may be one person (the same date of birth and a tolerant name match, not the same identity) are
suggested as a pair of new people. A pair suggested or linked before, whatever was decided, is never
suggested again. `new_person` yes says the row is someone else:
a new person, nothing suggested.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.contrib.auth import get_user_model
from django.db import transaction

from offramp.access.audit import Action, audit_record
from offramp.access.models import Consent
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, acting, trusted
from offramp.bulk.contacts import CONTACTS, contact_problems, contacts_for
from offramp.cases.last_contact import last_contact_refresh
from offramp.cases.models import Case, Contact, ExitReason, Status, StatusChange
from offramp.files.mapping import Field, Schema, mapping_from_toml
from offramp.files.problems import InvalidFile, Problem
from offramp.files.table import read_table
from offramp.people import names
from offramp.people.actions import SuggestedPair, link_suggestions_record
from offramp.people.models import Alias, Person
from offramp.people.queries import link_pairs_known
from offramp.programs.models import Membership
from offramp.programs.roles import Role

CASELOAD = Schema(
    "caseload",
    (
        Field("source_id", required=True, max_length=64, unique=True),
        Field("first_name", max_length=50),
        Field("last_name", required=True, max_length=50),
        Field("date_of_birth", "date"),
        Field("case_manager", max_length=150),
        Field("status", "choice", required=True, choices=tuple(Status.values)),
        Field("opened_on", "date", required=True),
        Field("intake_on", "date"),
        Field("exited_on", "date"),
        Field("exit_reason", "choice", choices=tuple(r for r in ExitReason.values)),
        Field("consent_prosecutor_on", "date"),
        Field("consent_hmis_on", "date"),
        Field("new_person", "bool"),
    ),
)
ERR_MANAGER = "{value!r} is not a case manager of this program"
ERR_EXIT = "an exited case needs its exit date and reason"
ERR_NOT_EXITED = "only an exited case has an exit date or reason"
ERR_BEFORE_OPEN = "is before the case was opened"
ERR_NOTES = "contact notes can be imported only by a role that may read them (a case supervisor)"
ERR_PART2 = "substance-use notes can be imported only by a role that may read them (a case supervisor)"
IMPORTED = "Imported from the program's previous system"
SOURCE = "Caseload import: {file}, line {line}"


@dataclass(frozen=True)
class SuggestedRow:
    """A row that may be a person the program knows, or the new person of an earlier row of the same
    file: a link of the two suggested for review."""

    line: int
    person_id: int | None  # the row's person when it joined someone known; None for a new person
    maybe: int | None  # the known person it may be; None when it is an earlier row's new person
    reason: str  # why (offramp.people.names.likeness), never the names
    maybe_line: int | None = None  # that earlier row


@dataclass
class ImportReport:
    rows: int = 0
    people_created: int = 0
    joined: list[tuple[int, int]] = field(default_factory=list)  # (line, person id): same identity
    suggested: list[SuggestedRow] = field(default_factory=list)  # row by row, as the file goes
    links_suggested: int = 0  # pairs to review (rows of one new person that may be one known count once)
    contacts: int = 0
    problems: list[str] = field(default_factory=list)
    loaded: bool = False


def _problems(frame: pl.DataFrame, managers: dict, file: str, mapping) -> list[Problem]:
    found = []

    def bad(line, name, message):
        found.append(
            Problem(message, file=file, where=line, field=name, column=mapping.columns.get(name, ""))
        )

    for row in frame.iter_rows(named=True):
        line = row["line"]
        if row.get("case_manager") and row["case_manager"] not in managers:
            bad(line, "case_manager", ERR_MANAGER.format(value=row["case_manager"]))
        exited = row["status"] == Status.EXITED
        if exited and not (row.get("exited_on") and row.get("exit_reason")):
            bad(line, "exit_reason" if row.get("exited_on") else "exited_on", ERR_EXIT)
        if not exited and (row.get("exited_on") or row.get("exit_reason")):
            bad(line, "status", ERR_NOT_EXITED)
        for name in ("intake_on", "exited_on"):
            if row.get(name) and row[name] < row["opened_on"]:
                bad(line, name, ERR_BEFORE_OPEN)
    return found


def _note_access(actor: Actor, frame: pl.DataFrame, file: str) -> list[Problem]:
    """Notes, and substance-use notes above all, are written only by a role that may read them."""
    needs = []
    notes = "note" in frame.columns and frame["note"].drop_nulls().len() > 0
    if notes and not actor.has(Category.NOTES, Scope.PROGRAM):
        needs.append(Problem(ERR_NOTES, file=file, field="note"))
    substance = frame["substance_use"].fill_null(False).any() if "substance_use" in frame.columns else False
    if substance and not actor.has(Category.PART2, Scope.PROGRAM):
        needs.append(Problem(ERR_PART2, file=file, field="substance_use"))
    return needs


def _at(day: dt.date | None, zone) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone) if day else None


@dataclass(frozen=True)
class ContactsFile:
    path: Path
    mapping_text: str
    file_name: str = ""


def _read(path: Path, mapping_text: str, schema: Schema, file: str, mapping_file: str):
    """(mapping, frame) or the file's problems."""
    try:
        mapping = mapping_from_toml(mapping_text, schema, file=mapping_file)
        return mapping, read_table(Path(path), mapping, file=file), []
    except InvalidFile as exc:
        return None, None, exc.messages


def program_import(
    *,
    actor: Actor,
    path: Path,
    mapping_text: str,
    dry_run: bool = False,
    file_name: str = "",
    contacts: ContactsFile | None = None,
    progress=None,
) -> ImportReport:
    """Check, and unless `dry_run` load, a caseload export and optionally its contacts. Raises nothing
    for a bad file: the report's `problems` name every one of both files and nothing is written."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    actor.require(Category.IDENTITY, Scope.PROGRAM)
    file = file_name or Path(path).name
    report = ImportReport()
    say = progress or (lambda done, total, message: None)
    say(0, None, "Reading the files")
    mapping, frame, problems = _read(path, mapping_text, CASELOAD, file, "mapping")
    contact_file = contact_mapping = contact_frame = None
    if contacts is not None:
        contact_file = contacts.file_name or Path(contacts.path).name
        contact_mapping, contact_frame, more = _read(
            contacts.path, contacts.mapping_text, CONTACTS, contact_file, "contacts mapping"
        )
        problems += more
    if problems:
        report.problems = problems
        return report
    report.rows = frame.height
    say(0, frame.height, "Checking every row and matching people already known to the program")
    user_model = get_user_model()
    managers = {
        m.user.get_username(): m.user
        for m in Membership.objects.filter(
            program_id=actor.program_id, role=Role.CASE_MANAGER, is_active=True
        ).select_related("user")
        if isinstance(m.user, user_model)
    }
    found = _problems(frame, managers, file, mapping)
    if contact_frame is not None:
        opened = dict(zip(frame["source_id"].to_list(), frame["opened_on"].to_list(), strict=True))
        found += contact_problems(contact_frame, opened, contact_file, contact_mapping)
        found += _note_access(actor, contact_frame, contact_file)
    rows = list(frame.iter_rows(named=True))
    with trusted("bulk.program_import"):
        known = _known_people(actor, {d for d in frame["date_of_birth"].to_list() if d})
        people, new_people, pairs = _people_for(actor, rows, known, report)
    if found:
        report.problems = InvalidFile(found, total=len(found)).messages
        return report
    zone = actor.program.zone
    say(0, frame.height, "Storing people, cases and consents")
    with acting("bulk.program_import"):
        report.people_created = len(new_people)
        if dry_run:
            transaction.set_rollback(True)
            return report
        Person.objects.bulk_create(new_people, batch_size=2000)
        suggested = link_suggestions_record(
            actor=actor,
            pairs=[
                SuggestedPair(person.pk, other.pk, reason, SOURCE.format(file=file, line=line))
                for person, other, reason, line in pairs
            ],
        )
        report.links_suggested = len(suggested)
        cases = [
            Case(
                program_id=actor.program_id,
                person=people[row["line"]],
                case_manager=managers.get(row.get("case_manager") or ""),
                status=row["status"],
                status_reason=IMPORTED,
                exit_reason=row.get("exit_reason") or "",
                opened_at=_at(row["opened_on"], zone),
                intake_completed_at=_at(row.get("intake_on"), zone),
                status_changed_at=_at(row.get("exited_on") or row.get("intake_on") or row["opened_on"], zone),
            )
            for row in rows
        ]
        Case.objects.bulk_create(cases, batch_size=2000)
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    program_id=actor.program_id,
                    case=c,
                    to_status=c.status,
                    reason=IMPORTED,
                    at=c.status_changed_at,
                )
                for c in cases
            ],
            batch_size=2000,
        )
        consents = [
            Consent(
                program_id=actor.program_id,
                person=people[row["line"]],
                recipient_class=recipient,
                categories=categories,
                purpose=purpose,
                signed_at=_at(row[column], zone),
                recorded_by=actor.user if actor.user_id else None,
            )
            for row in rows
            for column, recipient, categories, purpose in (
                (
                    "consent_prosecutor_on",
                    Consent.Recipient.PROSECUTOR,
                    [Category.STATUS],
                    "Charging coordination",
                ),
                ("consent_hmis_on", Consent.Recipient.HMIS, [Category.IDENTITY], "HMIS participation"),
            )
            if row.get(column)
        ]
        Consent.objects.bulk_create(consents, batch_size=2000)
        if contact_frame is not None:
            say(frame.height, frame.height, "Storing contacts")
            by_source = {row["source_id"]: case for row, case in zip(rows, cases, strict=True)}
            imported = contacts_for(contact_frame, by_source, zone)
            report.contacts = len(Contact.objects.bulk_create(imported, batch_size=2000))
            last_contact_refresh([case.pk for case in cases])
        report.loaded = True
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ProgramImport",
            detail={
                "file": file,
                "rows": report.rows,
                "people_created": report.people_created,
                "cases": len(cases),
                "consents": len(consents),
                "contacts": report.contacts,
                "joined_same_identity": [{"line": line, "person_id": pid} for line, pid in report.joined],
                "link_suggestions": [s.pk for s in suggested],
            },
        )
    return report


def _known_people(actor: Actor, days: set) -> dict:
    """date of birth -> [(person, every (first, last, which) name they are known by)] for the program."""
    found: dict = {}
    people = Person.objects.filter(program_id=actor.program_id, date_of_birth__in=list(days))
    aliases: dict = {}
    for alias in Alias.objects.filter(program_id=actor.program_id, person__in=people):
        aliases.setdefault(alias.person_id, []).append((alias.first_name, alias.last_name, "alias"))
    for p in people:
        known = [(p.legal_first_name, p.legal_last_name, "legal name")]
        if p.preferred_name:
            known.append((p.preferred_name, p.legal_last_name, "preferred name"))
        found.setdefault(p.date_of_birth, []).append((p, known + aliases.get(p.pk, [])))
    return found


def _identity(first: str, last: str, born) -> tuple:
    return names.normalise(first), names.normalise(last), born


def _people_for(actor: Actor, rows: list[dict], known: dict, report: ImportReport) -> tuple[dict, list, list]:
    """line -> the Person each row is (existing or new, unsaved), the new ones, and the pairs to suggest
    as (row's person, known person, reason, line), each pair once; `report` gets them row by row.
    Callers are inside trusted()."""
    people: dict[int, Person] = {}
    new_people: list[Person] = []
    made: dict[tuple, Person] = {}  # rows of this file with one identity are one new person
    in_file: dict = {}  # date of birth -> [(new person, their names)], as `known`, for later rows
    first_line: dict[int, int] = {}  # id(new person) -> the line that made them
    pairs: dict[frozenset, tuple] = {}  # {id(row's person), id(other)} -> the pair, first line first
    for row in rows:
        first, last, born = row.get("first_name") or "", row["last_name"], row["date_of_birth"]
        identity = _identity(first, last, born)
        candidates = [*known.get(born, []), *in_file.get(born, [])] if born else []
        same = [
            p
            for p, _names in candidates
            if _identity(p.legal_first_name, p.legal_last_name, born) == identity
        ]
        if len(same) == 1:
            person = same[0]
            report.joined.append((row["line"], person.pk))
        elif born and identity in made:
            person = made[identity]
        else:
            person = Person(
                program_id=actor.program_id,
                legal_first_name=first,
                legal_last_name=last,
                date_of_birth=born,
                created_by=actor.user if actor.user_id else None,
            )
            made[identity] = person
            new_people.append(person)
            first_line[id(person)] = row["line"]
            if born:
                in_file.setdefault(born, []).append((person, [(first, last, "legal name")]))
        people[row["line"]] = person
        if row.get("new_person"):
            continue  # the file says this is someone else
        for other, known_names in candidates:
            if other is not person and (other in same or _similar(first, last, known_names)):
                reason = names.likeness(first, last, known_names)
                earlier = first_line.get(id(other))
                report.suggested.append(SuggestedRow(row["line"], person.pk, other.pk, reason, earlier))
                pairs.setdefault(frozenset((id(person), id(other))), (person, other, reason, row["line"]))
    # A pair of two known people may have been suggested or linked before: never again.
    between_known = {
        pid
        for person, other, _r, _l in pairs.values()
        if person.pk and other.pk
        for pid in (person.pk, other.pk)
    }
    decided = link_pairs_known(actor, between_known) if between_known else set()
    if decided:

        def fresh(a: int | None, b: int | None) -> bool:
            return a is None or b is None or tuple(sorted((a, b))) not in decided

        report.suggested = [s for s in report.suggested if fresh(s.person_id, s.maybe)]
        pairs = {key: pair for key, pair in pairs.items() if fresh(pair[0].pk, pair[1].pk)}
    report.links_suggested = len(pairs)
    return people, new_people, list(pairs.values())


def _similar(first: str, last: str, known: list[tuple[str, str, str]]) -> bool:
    return names.name_score(first, last, [(f, ln) for f, ln, _which in known]) >= names.MATCH_THRESHOLD
