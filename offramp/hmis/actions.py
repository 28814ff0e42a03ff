"""The HMIS CSV FY2026 export: a disclosure to the HMIS lead, so only participants whose consent names
the HMIS lead go in, each is written to the disclosure ledger, and the export is audited.

A participant goes in (the Client file) when an active consent to the HMIS lead covers identity; their
enrollments (cases), exits and outcome snapshots (CurrentLivingSituation, IncomeBenefits,
EmploymentEducation: offramp/hmis/records.py) go in only when the consent also covers the case record.
docs/hmis.md lists every file of the format, written or not held and why.
"""

import datetime as dt
import io
import zipfile
from pathlib import Path

from django.utils import timezone

from offramp.access.actions import disclosure_record
from offramp.access.audit import Action, audit_record
from offramp.access.consent import consents_covering
from offramp.access.models import Consent
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, acting
from offramp.cases.models import Case, OutcomeSnapshot, Status
from offramp.files.cells import csv_dict_writer
from offramp.hmis import spec
from offramp.hmis.records import destination, snapshot_rows
from offramp.people.hmis import RACE_FIELDS
from offramp.people.models import Person

SOFTWARE = "offramp"
DESCRIPTION = "HMIS CSV export: client identity and demographics"
DESCRIPTION_CASES = (
    "HMIS CSV export: client identity, demographics, enrollments, exits, living situation, "
    "income and benefits, health insurance and employment"
)


def _day(moment) -> str:
    return timezone.localtime(moment).strftime(spec.DATE) if moment else ""


def _at(moment) -> str:
    return timezone.localtime(moment).strftime(spec.DATETIME) if moment else ""


def _csv(header: tuple[str, ...], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv_dict_writer(out, fieldnames=header, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def hmis_export(
    *, actor: Actor, out: Path, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict:
    """Write the zip of HMIS CSV files for cases open at any time in [start, end]; returns counts."""
    actor.require(Category.IDENTITY, Scope.PROGRAM)
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    now = now or timezone.now()
    program = actor.program
    export_id = f"{program.slug[:20]}-{now:%Y%m%d%H%M%S}"
    user_id = (actor.user.get_username() if actor.user_id else actor.label)[:32]
    org_id, project_id = f"ORG-{program.pk}", f"PRJ-{program.pk}"
    project_type = int(program.setting("hmis_project_type"))
    zone = program.zone
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    with acting("hmis.hmis_export"), timezone.override(zone):
        cases = list(
            Case.objects.filter(program_id=program.pk, opened_at__lt=until)
            .exclude(status=Status.EXITED, status_changed_at__lt=since)
            .order_by("pk")
        )
        person_ids = {c.person_id for c in cases}
        hmis = {"program_id": program.pk, "recipient_class": Consent.Recipient.HMIS, "at": now}
        identity = consents_covering(person_ids=person_ids, category=Category.IDENTITY, **hmis)
        records = consents_covering(person_ids=set(identity), category=Category.CASE_RECORD, **hmis)
        people = list(Person.objects.filter(program_id=program.pk, pk__in=list(identity)).order_by("pk"))
        shared_cases = [c for c in cases if c.person_id in records]
        snapshots: dict[int, list[OutcomeSnapshot]] = {c.pk: [] for c in shared_cases}
        for snapshot in OutcomeSnapshot.objects.filter(
            program_id=program.pk, case_id__in=list(snapshots), as_of__lte=end
        ).order_by("case_id", "as_of", "pk"):
            snapshots[snapshot.case_id].append(snapshot)
        common = {"UserID": user_id, "ExportID": export_id}
        files = {
            "Export": [
                {
                    "ExportID": export_id,
                    "SourceType": spec.SOURCE_TYPE_STANDALONE[1],
                    "SourceName": program.name[:50],
                    "ExportDate": _at(now),
                    "ExportStartDate": start.strftime(spec.DATE),
                    "ExportEndDate": end.strftime(spec.DATE),
                    "SoftwareName": SOFTWARE,
                    "CSVVersion": spec.CSV_VERSION,
                    "ExportPeriodType": spec.EXPORT_PERIOD_REPORTING[1],
                    "ExportDirective": spec.EXPORT_DIRECTIVE_FULL[1],
                    "HashStatus": spec.HASH_UNHASHED[1],
                    "ImplementationID": f"offramp-{program.slug}"[:200],
                }
            ],
            "User": [_user(actor, user_id, export_id, now)],
            "Organization": [
                {
                    "OrganizationID": org_id,
                    "OrganizationName": program.name,
                    "VictimServiceProvider": spec.NO[1],
                    "DateCreated": _at(program.created_at),
                    "DateUpdated": _at(program.created_at),
                    **common,
                }
            ],
            "Project": [
                {
                    "ProjectID": project_id,
                    "OrganizationID": org_id,
                    "ProjectName": program.name,
                    "OperatingStartDate": _day(program.created_at),
                    "ContinuumProject": spec.NO[1],
                    "ProjectType": project_type,
                    "DateCreated": _at(program.created_at),
                    "DateUpdated": _at(program.created_at),
                    **common,
                }
            ],
            "HMISParticipation": [
                {
                    "HMISParticipationID": f"HP-{program.pk}",
                    "ProjectID": project_id,
                    "HMISParticipationType": spec.HMIS_PARTICIPATING[1],
                    "HMISParticipationStatusStartDate": _day(program.created_at),
                    "DateCreated": _at(program.created_at),
                    "DateUpdated": _at(program.created_at),
                    **common,
                }
            ],
            "Client": [_client(p, common) for p in people],
            "Enrollment": [
                {
                    "EnrollmentID": f"E{c.pk}",
                    "PersonalID": c.person_id,
                    "ProjectID": project_id,
                    "EntryDate": _day(c.opened_at),
                    "HouseholdID": f"H{c.pk}",
                    "RelationshipToHoH": spec.SELF_HEAD_OF_HOUSEHOLD[1],
                    "DateCreated": _at(c.opened_at),
                    "DateUpdated": _at(c.status_changed_at),
                    **common,
                }
                for c in shared_cases
            ],
            "Exit": [
                {
                    "ExitID": f"X{c.pk}",
                    "EnrollmentID": f"E{c.pk}",
                    "PersonalID": c.person_id,
                    "ExitDate": _day(c.status_changed_at),
                    "Destination": destination(c, snapshots[c.pk]),
                    "DateCreated": _at(c.status_changed_at),
                    "DateUpdated": _at(c.status_changed_at),
                    **common,
                }
                for c in shared_cases
                if c.status == Status.EXITED and c.status_changed_at < until
            ],
            "CurrentLivingSituation": [],
            "IncomeBenefits": [],
            "EmploymentEducation": [],
        }
        for c in shared_cases:
            for name, rows in snapshot_rows(c, snapshots[c.pk], common).items():
                files[name].extend(rows)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, rows in files.items():
                archive.writestr(f"{name}.csv", _csv(spec.HEADERS[name], rows))
        for person in people:
            full = person.pk in records
            disclosure_record(
                actor=actor,
                consent=records[person.pk] if full else identity[person.pk],
                categories=[Category.IDENTITY, Category.CASE_RECORD] if full else [Category.IDENTITY],
                description=DESCRIPTION_CASES if full else DESCRIPTION,
            )
        counts = {name: len(rows) for name, rows in files.items()}
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            object_type="HmisExport",
            object_id=export_id,
            detail={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "files": counts,
                "person_ids": [p.pk for p in people],
                "left_out_without_consent": len(person_ids) - len(people),
            },
        )
    return {"export_id": export_id, **counts, "left_out": len(person_ids) - len(people)}


def _user(actor: Actor, user_id: str, export_id: str, now: dt.datetime) -> dict:
    """The one User record: whoever ran the export, whose login is the UserID of every other record.
    Names only; a staff member's phone and email are not the HMIS lead's to hold."""
    user = actor.user if actor.user_id else None
    joined = user.date_joined if user is not None else now
    return {
        "UserID": user_id,
        "UserFirstName": (user.first_name if user else actor.label)[:50],
        "UserLastName": (user.last_name if user else "")[:50],
        "DateCreated": _at(joined),
        "DateUpdated": _at(now),
        "ExportID": export_id,
    }


def _client(person: Person, common: dict) -> dict:
    row = {
        "PersonalID": person.pk,
        "FirstName": person.legal_first_name,
        "MiddleName": person.legal_middle_name,
        "LastName": person.legal_last_name,
        "NameDataQuality": person.name_data_quality,
        "SSNDataQuality": spec.SSN_NOT_COLLECTED[1],
        "DOB": person.date_of_birth.strftime(spec.DATE) if person.date_of_birth else "",
        "DOBDataQuality": person.dob_data_quality,
        "Sex": "" if person.sex is None else person.sex,
        "RaceNone": "" if person.race_none is None else person.race_none,
        "AdditionalRaceEthnicity": person.additional_race_ethnicity,
        "VeteranStatus": person.veteran_status,
        "DateCreated": _at(person.created_at),
        "DateUpdated": _at(person.created_at),
        **common,
    }
    for field, (column, _label) in RACE_FIELDS.items():
        row[column] = getattr(person, field)
    return row
