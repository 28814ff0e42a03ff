"""Every read of imported records, studies and runs, scoped by the permission matrix and audited.

The analysis frames handed to the evaluation engine are de-identified here: a research id from a
keyed hash replaces every identifier, names and dates of birth never leave this module (age at the
index date is computed from the date of birth and the date of birth dropped).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.http import Http404

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.analysis.frames import frame_from
from offramp.analysis.linking import FieldCheck, compare_fields
from offramp.analysis.models import ImportBatch, LegalEvent, Study, StudyRun, Subject, SubjectLink
from offramp.referrals.models import Referral

RESEARCH_ID_SALT = b"offramp.analysis.research-id"


def research_ids(program_id: int, subject_ids: pl.Series) -> pl.Series:
    """Stable, unlinkable-without-the-key integer ids: HMAC-SHA256(secret key, program:subject), 62 bits."""
    key = hmac.new(settings.SECRET_KEY.encode(), RESEARCH_ID_SALT, hashlib.sha256).digest()
    out = [
        int.from_bytes(hmac.new(key, f"{program_id}:{sid}".encode(), hashlib.sha256).digest()[:8], "big") >> 2
        for sid in subject_ids.to_list()
    ]
    return pl.Series("person_id", out, dtype=pl.Int64)


@dataclass(frozen=True)
class AnalysisData:
    people: pl.DataFrame
    events: pl.DataFrame
    provenance: dict


def _age_at(index: pl.Expr, dob: pl.Expr) -> pl.Expr:
    # month() and day() are Int8: widen before multiplying.
    def month_day(d: pl.Expr) -> pl.Expr:
        return d.dt.month().cast(pl.Int32) * 100 + d.dt.day().cast(pl.Int32)

    before_birthday = month_day(index) < month_day(dob)
    return index.dt.year() - dob.dt.year() - before_birthday.cast(pl.Int32)


def deidentified_data(actor: Actor, *, arms: tuple[str, ...]) -> AnalysisData:
    """The program's subjects in ``arms`` and their events, de-identified, as polars frames."""
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    program = actor.program
    with trusted("analysis.deidentified_data"):
        subjects = frame_from(
            Subject.objects.filter(
                program_id=program.pk, arm__in=arms, batch__status=ImportBatch.Status.LOADED
            ).order_by("pk"),
            {
                "id": pl.Int64,
                "arm": pl.String,
                "index_date": pl.Date,
                "date_of_birth": pl.Date,
                "sex": pl.String,
                "race_ethnicity": pl.String,
                "area": pl.String,
                "offence_type": pl.String,
                "followup_end": pl.Date,
                "program_months": pl.Int64,
            },
        )
        links = frame_from(
            SubjectLink.objects.filter(
                program_id=program.pk, status=SubjectLink.Status.ACCEPTED, subject__arm__in=arms
            ),
            {"subject_id": pl.Int64, "person_id": pl.Int64},
        )
        referred = frame_from(
            Referral.objects.filter(program_id=program.pk, person_id__in=links["person_id"].to_list()),
            {"person_id": pl.Int64, "referred_at": pl.Datetime("us", "UTC")},
        )
        events = frame_from(
            LegalEvent.objects.filter(
                program_id=program.pk, subject__arm__in=arms, batch__status=ImportBatch.Status.LOADED
            ),
            {
                "subject_id": pl.Int64,
                "date": pl.Date,
                "kind": pl.String,
                "days": pl.Int64,
                "index_related": pl.Boolean,
            },
        )
        batches = list(
            ImportBatch.objects.filter(program_id=program.pk, status=ImportBatch.Status.LOADED).values(
                "id", "table", "file_name", "sha256", "rows", "source", "created_at"
            )
        )
    # A linked participant without an index date in the extract is indexed at their first referral.
    first_referral = referred.group_by("person_id").agg(
        pl.col("referred_at").min().dt.convert_time_zone(program.time_zone).dt.date().alias("_referral_date")
    )
    fallback = (
        links.join(first_referral, on="person_id").group_by("subject_id").agg(pl.col("_referral_date").min())
    )
    people = subjects.join(fallback, left_on="id", right_on="subject_id", how="left").with_columns(
        pl.coalesce("index_date", "_referral_date").alias("index_date")
    )
    people = people.with_columns(
        [
            pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
            for c in ("sex", "race_ethnicity", "area", "offence_type")
        ]
    )
    no_index = people.filter(pl.col("index_date").is_null()).height
    people = people.filter(pl.col("index_date").is_not_null())
    no_dob = people.filter(pl.col("date_of_birth").is_null()).height
    people = people.filter(pl.col("date_of_birth").is_not_null())
    people = people.with_columns(
        _age_at(pl.col("index_date"), pl.col("date_of_birth")).alias("age"),
        pl.col("program_months").fill_null(0),
        research_ids(program.pk, people["id"]),
    )
    id_map = people.select("id", "person_id")
    events = events.join(id_map, left_on="subject_id", right_on="id", how="inner").select(
        "person_id", "date", "kind", "days", pl.col("index_related").fill_null(False)
    )
    people = people.drop("id", "date_of_birth", "_referral_date").sort("person_id")
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="Subject",
        detail={
            "view": "deidentified_data",
            "arms": list(arms),
            "people": people.height,
            "events": events.height,
        },
    )
    return AnalysisData(
        people=people,
        events=events.sort("person_id", "date"),
        provenance={
            "program": program.name,
            "batches": [{**b, "created_at": b["created_at"].isoformat()} for b in batches],
            "excluded_no_index_date": no_index,
            "excluded_no_date_of_birth": no_dob,
            "linked_participants": links["subject_id"].n_unique(),
            "deidentification": (
                "Research ids are a keyed hash (HMAC-SHA256) of the record id; names, identifiers and "
                "dates of birth are not in the analysis data; age is computed at the index date."
            ),
        },
    )


@dataclass(frozen=True)
class StudyRow:
    study: Study
    runs: list[StudyRun]


def studies_with_runs(actor: Actor, *, runs_per_study: int = 5) -> list[StudyRow]:
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    with trusted("analysis.studies_with_runs"):
        studies = list(Study.objects.filter(program_id=actor.program_id))
        runs = list(
            StudyRun.objects.filter(program_id=actor.program_id)
            .select_related("job")
            .defer("result", "study_toml")
        )
    by_study: dict[int, list[StudyRun]] = {}
    for run in runs:
        by_study.setdefault(run.study_id, []).append(run)
    audit_record(
        actor=actor, action=Action.LIST, object_type="StudyRun", detail={"view": "studies_with_runs"}
    )
    return [StudyRow(study=s, runs=by_study.get(s.pk, [])[:runs_per_study]) for s in studies]


def study_get(actor: Actor, study_id: int) -> Study:
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    with trusted("analysis.study_get"):
        study = Study.objects.filter(program_id=actor.program_id, pk=study_id).first()
    if study is None:
        raise Http404("Not found")
    return study


def run_get(actor: Actor, run_id: int) -> StudyRun:
    """A study run of the actor's program, with its result; another program's run is 404."""
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    with trusted("analysis.run_get"):
        run = (
            StudyRun.objects.select_related("study", "job")
            .filter(program_id=actor.program_id, pk=run_id)
            .first()
        )
    if run is None:
        audit_record(
            actor=actor, action=Action.READ, object_type="StudyRun", object_id=run_id, outcome="not_found"
        )
        raise Http404("Not found")
    audit_record(actor=actor, action=Action.READ, object_type="StudyRun", object_id=run.pk)
    return run


def import_summary(actor: Actor) -> dict:
    """Counts of what has been imported, for the project manager's import page."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    with trusted("analysis.import_summary"):
        batches = list(
            ImportBatch.objects.filter(program_id=actor.program_id, status=ImportBatch.Status.LOADED)[:20]
        )
        links = {
            status: SubjectLink.objects.filter(program_id=actor.program_id, status=status).count()
            for status in SubjectLink.Status.values
        }
    audit_record(
        actor=actor, action=Action.LIST, object_type="ImportBatch", detail={"view": "import_summary"}
    )
    return {"batches": batches, "links": links}


@dataclass(frozen=True)
class LinkForReview:
    link: SubjectLink
    matched_name: str  # "legal name" or "alias"
    swapped: bool
    checks: list[FieldCheck]


def links_for_review(actor: Actor, *, limit: int = 100) -> tuple[list[LinkForReview], int]:
    """Proposed name-and-birth-date links, best score first, with both identities side by side.

    Shows participants' names and dates of birth, so it needs identity at program scope as well as
    program configuration (the same rule as deciding a link); only the project manager has both.
    """
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    actor.require(Category.IDENTITY, Scope.PROGRAM)
    with trusted("analysis.links_for_review"):
        proposed = SubjectLink.objects.filter(program_id=actor.program_id, status=SubjectLink.Status.PROPOSED)
        total = proposed.count()
        links = list(
            proposed.select_related("subject", "person")
            .prefetch_related("person__aliases")
            .order_by("-score", "pk")[:limit]
        )
    rows = []
    for link in links:
        s, p = link.subject, link.person
        names = [("legal name", p.legal_first_name, p.legal_last_name)]
        names += [("alias", a.first_name, a.last_name) for a in p.aliases.all()]
        label, swapped, checks = compare_fields(
            first=s.first_name, last=s.last_name, dob=s.date_of_birth, names=names, person_dob=p.date_of_birth
        )
        rows.append(LinkForReview(link=link, matched_name=label, swapped=swapped, checks=checks))
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="SubjectLink",
        detail={"view": "links_for_review", "shown": len(rows), "proposed": total},
    )
    return rows, total
