"""Every change to the service directory: project managers (program configuration) make them, audited."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from offramp.access.audit import audit_record
from offramp.access.models import AuditEntry
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.directory.hsds import BY_NAME, LOAD_ORDER, column
from offramp.directory.models import MODELS
from offramp.directory.reading import Dataset, read_path
from offramp.directory.validation import validate
from offramp.files.problems import InvalidFile

IMPORT = "import"  # the audit action of a directory import
NOTHING_TO_IMPORT = "The file holds no directory records."
NOT_LOADED = "{count} problem(s); nothing was loaded."
BATCH = 500


@dataclass
class ImportResult:
    created: dict = field(default_factory=dict)  # table -> count
    updated: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # Problem

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def _stored(program) -> tuple[dict, dict]:
    """What the directory holds: ids per table, and the values of unique fields with their ids."""
    known, taken = {}, {}
    for table, model in MODELS.items():
        known[table] = {
            str(i) for i in model.objects.filter(program=program).values_list("hsds_id", flat=True)
        }
        for f in BY_NAME[table].fields:
            if f.unique and f.name != "id":
                pairs = model.objects.filter(program=program, **{f"{f.name}__isnull": False})
                taken[(table, f.name)] = {
                    str(value) if f.kind == "uuid" else value: str(rid)
                    for value, rid in pairs.values_list(column(table, f.name), "hsds_id")
                }
    return known, taken


def _refuse(actor: Actor, data: Dataset, source: str):
    errors = data.errors
    audit_record(
        actor=actor,
        action=IMPORT,
        object_type="Directory",
        outcome=AuditEntry.Outcome.FAILED,
        detail={"source": source, "problems": len(errors)},
    )
    raise ValidationError([NOT_LOADED.format(count=len(errors)), *InvalidFile(errors).messages])


def directory_import(
    *, actor: Actor, path: Path | None = None, data: Dataset | None = None, source: str = ""
) -> ImportResult:
    """Load an HSDS file into the program's directory, whole or not at all.

    A record whose id the directory already holds is replaced by the file's version
    (every field, as the file states it); others are added; records the file does not
    mention stay. Nothing is deleted, so service referrals never lose their service:
    HSDS retires a service by its status (inactive, defunct).
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    if data is None:
        data = read_path(path)
        source = source or Path(path).name
    if not data.errors:
        known, taken = _stored(actor.program)
        validate(data, known, taken)
    if not data.errors and data.count() == 0:
        data.error(source, "", "", NOTHING_TO_IMPORT)
    if data.errors:
        _refuse(actor, data, source)
    result = ImportResult(warnings=data.warnings)
    with transaction.atomic():
        for table in LOAD_ORDER:
            rows = data.rows[table]
            if rows:
                _load_table(actor.program, table, rows, result)
        detail = {
            "source": source,
            "created": sum(result.created.values()),
            "updated": sum(result.updated.values()),
            "warnings": len(result.warnings),
        }
        audit_record(actor=actor, action=IMPORT, object_type="Directory", detail=detail)
    return result


def _load_table(program, table: str, rows: dict, result: ImportResult) -> None:
    model = MODELS[table]
    names = [f.name for f in BY_NAME[table].fields if f.name != "id"]
    columns = [column(table, name) for name in names]
    existing = {
        str(hsds_id): pk for hsds_id, pk in model.objects.filter(program=program).values_list("hsds_id", "pk")
    }
    creates, updates = [], []
    for rid, row in rows.items():
        values = {col: row.values.get(name) for name, col in zip(names, columns, strict=True)}
        pk = existing.get(rid)
        if pk is None:
            creates.append(model(program=program, hsds_id=rid, **values))
        else:
            updates.append(model(pk=pk, program=program, hsds_id=rid, **values))
    model.objects.bulk_create(creates, batch_size=BATCH)
    if updates:
        model.objects.bulk_update(updates, columns, batch_size=BATCH)
    result.created[table] = len(creates)
    result.updated[table] = len(updates)
