"""Every change to imported records, links, studies and runs: one audit entry each, in one transaction (a
records file: staged in short ones, then one brief commit; offramp/analysis/staging.py)."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from pathlib import Path

import polars as pl
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.rows import program_row
from offramp.access.scope import Actor, acting, action, trusted
from offramp.analysis import linking, queries, staging
from offramp.analysis.frames import frame_from
from offramp.analysis.mapping import records_mapping
from offramp.analysis.models import ImportBatch, Study, StudyRun, Subject, SubjectLink
from offramp.evaluation.cohort import CohortError
from offramp.evaluation.report import run_study
from offramp.evaluation.study import StudyError, study_from_toml
from offramp.files.problems import MAX_SHOWN, InvalidFile, Problem
from offramp.files.table import read_table
from offramp.jobs.models import JobProgress
from offramp.people.models import Alias, Person
from offramp.referrals.models import Referral

ERR_EXISTING_SOURCE_ID = "source_id {value!r} is already loaded for this program"
ERR_UNKNOWN_SOURCE_ID = "source_id {value!r} is not in any people file loaded for this program"
ERR_EMPTY_FILE = "the file has no rows"
ERR_DECIDED = "this link has already been decided"
ERR_STUDY_NAME_TAKEN = "a study with this name already exists in the program"
# A date the study's windows push past what the engine can hold is polars' ComputeError.
ENGINE_ERRORS = (StudyError, CohortError, ValueError, ArithmeticError, pl.exceptions.PolarsError)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _existing_source_ids(program_id: int, *, staged: bool = False) -> pl.DataFrame:
    """Subjects' source ids and ids: loaded ones, and with `staged` those of imports still loading too."""
    subjects = Subject.objects.filter(program_id=program_id)
    if not staged:
        subjects = subjects.filter(batch__status=ImportBatch.Status.LOADED)
    return frame_from(subjects, {"source_id": pl.String, "id": pl.Int64})


def records_import(
    *,
    actor: Actor,
    path: Path,
    mapping_text: str,
    source: str = "",
    file_name: str = "",
    mapping_name: str = "",
) -> ImportBatch:
    """Load a people or events export whole, or not at all; raises ValidationError listing bad rows.

    Not one transaction: the file is checked first, its rows are inserted in short transactions
    under a staged batch that readers skip, and one brief transaction makes it loaded
    (offramp/analysis/staging.py), so the database's write lock is never held for the whole file.
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    file = file_name or Path(path).name
    try:
        mapping = records_mapping(mapping_text, file=mapping_name)
        table = read_table(Path(path), mapping, file=file)
    except InvalidFile as exc:
        raise ValidationError(exc.messages) from None
    if table.height == 0:
        raise ValidationError(ERR_EMPTY_FILE)
    program_id = actor.program_id
    with trusted("analysis.records_import"):
        staging.stale_batches_discard(program_id)
        if mapping.table == "people":
            wrong = table.join(_existing_source_ids(program_id, staged=True), on="source_id", how="semi")
            message = ERR_EXISTING_SOURCE_ID
        else:
            existing = _existing_source_ids(program_id).rename({"id": "subject_id"})
            table = table.join(existing, on="source_id", how="left")
            wrong = table.filter(pl.col("subject_id").is_null())
            message = ERR_UNKNOWN_SOURCE_ID
        if wrong.height:
            column = mapping.columns["source_id"]
            problems = [
                Problem(message.format(value=v), file=file, where=line, field="source_id", column=column)
                for line, v in wrong.select("line", "source_id").head(MAX_SHOWN).iter_rows()
            ]
            raise ValidationError(InvalidFile(problems, total=wrong.height).messages)
        batch = staging.batch_stage(
            program_id=program_id,
            table=mapping.table,
            file_name=file[:255],
            sha256=_sha256(Path(path)),
            rows=table.height,
            mapping=mapping_text,
            source=source[:200],
            created_by=actor.user if actor.user_id else None,
        )
        try:
            if mapping.table == "people":
                staging.subjects_insert(batch, table)
                links = _propose_links(program_id, batch)
            else:
                staging.events_insert(batch, table)
                links = []
            detail = {"table": batch.table, "rows": batch.rows, "sha256": batch.sha256}
            staging.batch_publish(
                batch,
                links,
                lambda: audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    object_type="ImportBatch",
                    object_id=batch.pk,
                    detail={**detail, "links_proposed": len(links)},
                ),
            )
        except BaseException:
            staging.batch_discard(batch.pk)
            raise
    return batch


def legal_events_add(*, actor: Actor, events: list[dict], source: str) -> ImportBatch:
    """Legal-system events a records or court system posts (the API), as one events batch: the same
    rules as an events file, whole or not at all. `events` hold source_id, date, kind, days and
    index_related; every source_id must name a subject already loaded."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    if not events:
        raise ValidationError(ERR_EMPTY_FILE)
    table = pl.DataFrame(
        [{k: e.get(k) for k in ("source_id", "date", "kind", "days", "index_related")} for e in events],
        schema={
            "source_id": pl.String,
            "date": pl.Date,
            "kind": pl.String,
            "days": pl.Int64,
            "index_related": pl.Boolean,
        },
        orient="row",
    ).with_row_index("index")
    with acting("analysis.legal_events_add"):
        existing = _existing_source_ids(actor.program_id).rename({"id": "subject_id"})
        table = table.join(existing, on="source_id", how="left", maintain_order="left")
        unknown = table.filter(pl.col("subject_id").is_null())
        if unknown.height:
            raise ValidationError(
                {
                    f"events.{i}.source_id": [ERR_UNKNOWN_SOURCE_ID.format(value=v)]
                    for i, v in unknown.select("index", "source_id").head(MAX_SHOWN).iter_rows()
                }
            )
        batch = ImportBatch.objects.create(
            program_id=actor.program_id,
            table=ImportBatch.Table.EVENTS,
            file_name=f"api:{source}"[:255],
            sha256=hashlib.sha256(table.drop("index").write_csv().encode()).hexdigest(),
            rows=table.height,
            mapping="",
            source=source[:200],
        )
        staging.events_insert(batch, table.drop("index"))
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ImportBatch",
            object_id=batch.pk,
            detail={"table": batch.table, "rows": batch.rows, "sha256": batch.sha256, "via": "api"},
        )
    return batch


def _propose_links(program_id: int, batch: ImportBatch) -> list[SubjectLink]:
    """Identifier links are accepted (the identifier is the evidence); name and DOB links await review.
    Returned unsaved: they are saved with the batch's final commit."""
    subjects = frame_from(
        Subject.objects.filter(batch=batch),
        {
            "id": pl.Int64,
            "participant_id": pl.String,
            "incident_number": pl.String,
            "first_name": pl.String,
            "last_name": pl.String,
            "date_of_birth": pl.Date,
        },
    )
    persons = frame_from(
        Person.objects.filter(program_id=program_id),
        {
            "id": pl.Int64,
            "legal_first_name": pl.String,
            "legal_last_name": pl.String,
            "date_of_birth": pl.Date,
        },
    ).rename({"legal_first_name": "first_name", "legal_last_name": "last_name"})
    aliases = frame_from(
        Alias.objects.filter(program_id=program_id),
        {
            "person_id": pl.Int64,
            "first_name": pl.String,
            "last_name": pl.String,
            "person__date_of_birth": pl.Date,
        },
    ).rename({"person_id": "id", "person__date_of_birth": "date_of_birth"})
    referrals = frame_from(
        Referral.objects.filter(program_id=program_id), {"person_id": pl.Int64, "incident_number": pl.String}
    )
    found = linking.candidates(
        subjects=subjects, persons=pl.concat([persons, aliases.select(persons.columns)]), referrals=referrals
    )
    now = timezone.now()
    return [
        SubjectLink(
            program_id=program_id,
            subject_id=c.subject_id,
            person_id=c.person_id,
            method=c.method,
            score=c.score,
            status=SubjectLink.Status.ACCEPTED if c.method == "identifier" else SubjectLink.Status.PROPOSED,
            decided_at=now if c.method == "identifier" else None,
        )
        for c in found
    ]


@action("analysis.link_decide")
def link_decide(*, actor: Actor, link_id: int, accept: bool) -> SubjectLink:
    """Accept or reject a proposed link (a project manager, who may see both identities)."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    actor.require(Category.IDENTITY, Scope.PROGRAM)
    link = program_row(actor, SubjectLink.objects.select_related("subject"), link_id)
    if link.status != SubjectLink.Status.PROPOSED:
        raise ValidationError(ERR_DECIDED)
    link.status = SubjectLink.Status.ACCEPTED if accept else SubjectLink.Status.REJECTED
    link.decided_by, link.decided_at = actor.user, timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="SubjectLink",
        object_id=link.pk,
        detail={"status": link.status, "score": link.score},
    )
    return link


def _parse_study(text: str):
    try:
        return study_from_toml(text=text)
    except StudyError as exc:
        raise ValidationError(exc.messages) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"not valid TOML: {exc}") from None


@action("analysis.study_create")
def study_create(*, actor: Actor, toml: str) -> Study:
    """Save a study definition after checking it; its name comes from ``[study] name``."""
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    parsed = _parse_study(toml)
    if Study.objects.filter(program_id=actor.program_id, name=parsed.name).exists():
        raise ValidationError(ERR_STUDY_NAME_TAKEN)
    study = Study.objects.create(
        program_id=actor.program_id,
        name=parsed.name[:200],
        toml=toml,
        created_by=actor.user if actor.user_id else None,
    )
    audit_record(actor=actor, action=Action.CREATE, object_type="Study", object_id=study.pk)
    return study


@action("analysis.study_run_create")
def study_run_create(*, actor: Actor, study: Study, toml: str | None = None) -> StudyRun:
    """A queued run of ``study``, keeping its definition as it is now, or ``toml`` (a file's version)."""
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    if study.program_id != actor.program_id:
        raise Http404("Not found")
    run = StudyRun.objects.create(
        program_id=actor.program_id,
        study=study,
        study_toml=study.toml if toml is None else toml,
        started_by=actor.user if actor.user_id else None,
    )
    audit_record(actor=actor, action=Action.CREATE, object_type="StudyRun", object_id=run.pk)
    return run


@action("analysis.study_run_attach_job")
def study_run_attach_job(*, actor: Actor, run: StudyRun, job: JobProgress) -> None:
    StudyRun.objects.filter(program_id=actor.program_id, pk=run.pk).update(job=job)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="StudyRun",
        object_id=run.pk,
        detail={"job": job.pk},
    )


def study_compute(
    *, actor: Actor, toml: str, progress: Callable[[int, int, str], None] | None = None
) -> tuple[dict | None, str]:
    """(result, "") or (None, error): a study run on the program's de-identified data, nothing stored.

    `offramp evaluate` computes first and stores only a study that ran, so a file that cannot run
    leaves no study and no run behind.
    """
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    try:
        study = study_from_toml(text=toml)
        data = queries.deidentified_data(actor, arms=tuple(a.name for a in study.arms))
        result = run_study(study, data.people, data.events, progress=progress)
    except ENGINE_ERRORS as exc:
        return None, str(exc)
    result["provenance"] = data.provenance | {
        "study_sha256": hashlib.sha256(toml.encode()).hexdigest(),
        "ran_at": timezone.now().isoformat(),
    }
    return result, ""


def study_run_execute(
    *,
    actor: Actor,
    run_id: int,
    progress: Callable[[int, int, str], None] | None = None,
    computed: tuple[dict | None, str] | None = None,
) -> StudyRun:
    """Run a queued study on the program's de-identified data and store every estimate (or the error).

    `computed` is what `study_compute` gave for this run's definition, when the caller ran it first.
    """
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    with acting("analysis.study_run_execute"):
        run = StudyRun.objects.select_for_update().filter(program_id=actor.program_id, pk=run_id).first()
        if run is None:
            raise Http404("Not found")
        run.status = StudyRun.Status.RUNNING
        run.save(update_fields=["status"])
    result, error = computed or study_compute(actor=actor, toml=run.study_toml, progress=progress)
    if result is not None:
        result["provenance"]["run_id"] = run.pk
    with acting("analysis.study_run_execute"):
        run.status = StudyRun.Status.FAILED if error else StudyRun.Status.SUCCEEDED
        run.result, run.error, run.finished_at = result, error, timezone.now()
        run.save(update_fields=["status", "result", "error", "finished_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="StudyRun",
            object_id=run.pk,
            outcome="failed" if error else "ok",
            detail={"status": run.status},
        )
    return run
