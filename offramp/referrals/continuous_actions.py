"""Screening that never stops: arrests the records system posts (through the API, or a file dropped
in the watched folder) are screened against the current protocol as they arrive and stored in one
continuous run per batch. One transaction and one audit entry per batch.

A batch loads whole or not at all. An arrest whose incident number was already received is skipped
and counted, so a records system may resend a batch after a lost answer without storing it twice.
"""

from pathlib import Path

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, acting
from offramp.files.problems import InvalidFile
from offramp.referrals import screening
from offramp.referrals.actions import ERR_NO_PROTOCOL, _store_arrests, protocol_current
from offramp.referrals.models import ScreenedArrest, ScreeningRun
from offramp.referrals.queries import screened_matched

MAX_BATCH = 10_000
ERR_EMPTY = "Send at least one arrest."
ERR_TOO_MANY = "Send at most {limit:,} arrests in one batch."
ERR_REQUIRED = "is required"
ERR_TOO_LONG = "is longer than {limit} characters"
ERR_DUPLICATE = "repeats the incident number of arrest {first}"
ERR_DOB_AFTER = "is after the incident date"
# Column -> polars type of an arrest as the API and the watched folder hand it over.
COLUMNS = {
    "incident_number": pl.String,
    "statute": pl.String,
    "incident_date": pl.Date,
    "incident_time": pl.Time,
    "offence_description": pl.String,
    "date_of_birth": pl.Date,
    "age": pl.Int32,
    "quantity_grams": pl.Float64,
    "substance": pl.String,
    **dict.fromkeys(screening.GROUP_FIELDS, pl.String),
}
TEXT_LIMITS = {"incident_number": screening.MAX_CODE, "statute": screening.MAX_CODE}


def _check(arrests: list[dict]) -> None:
    """Every problem of the batch at once, each as `arrests[i].field: message` (i from 0)."""
    if not arrests:
        raise ValidationError({"arrests": [ERR_EMPTY]})
    if len(arrests) > MAX_BATCH:
        raise ValidationError({"arrests": [ERR_TOO_MANY.format(limit=MAX_BATCH)]})
    problems: dict[str, list[str]] = {}
    first_seen: dict[str, int] = {}
    for i, arrest in enumerate(arrests):
        for name in ("incident_number", "statute", "incident_date"):
            if arrest.get(name) in (None, ""):
                problems.setdefault(f"arrests.{i}.{name}", []).append(ERR_REQUIRED)
        for name, limit in TEXT_LIMITS.items():
            if len(str(arrest.get(name) or "")) > limit:
                problems.setdefault(f"arrests.{i}.{name}", []).append(ERR_TOO_LONG.format(limit=limit))
        key = str(arrest.get("incident_number") or "").strip().upper()
        if key and key in first_seen:
            problems.setdefault(f"arrests.{i}.incident_number", []).append(
                ERR_DUPLICATE.format(first=first_seen[key])
            )
        first_seen.setdefault(key, i)
        born, on = arrest.get("date_of_birth"), arrest.get("incident_date")
        if born and on and born > on:
            problems.setdefault(f"arrests.{i}.date_of_birth", []).append(ERR_DOB_AFTER)
    if problems:
        raise ValidationError(problems)


def arrests_frame(arrests: list[dict]) -> pl.DataFrame:
    """The batch as the screening frame: typed columns, incident numbers trimmed and upper-cased,
    `line` numbering the arrests from 1 in the order sent."""
    frame = pl.DataFrame(
        [{name: a.get(name) for name in COLUMNS} for a in arrests], schema=COLUMNS, orient="row"
    )
    frame = frame.with_columns(
        pl.col("incident_number").str.strip_chars().str.to_uppercase(),
        pl.col("statute").str.strip_chars(),
        pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias("line"),
    )
    return screening.with_age(frame)


def arrests_screen(*, actor: Actor, arrests: list[dict], source: str) -> tuple[ScreeningRun | None, dict]:
    """Screen and store one batch of arrests; returns the run (None when every arrest was a resend) and
    its counts: received, stored, already_received, eligible, diverted, missed."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    _check(arrests)
    version = protocol_current(actor.program_id)
    if version is None:
        raise ValidationError(ERR_NO_PROTOCOL)
    try:
        shifts = screening.parse_shifts(actor.program.setting("shifts"))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    frame = arrests_frame(arrests)
    frame = screening.with_arrest_times(screening.screen(frame, version.protocol), actor.program.time_zone)
    received = frame.height
    with acting("referrals.arrests_screen"):
        numbers = frame["incident_number"].to_list()
        seen = set(
            ScreenedArrest.objects.filter(
                program_id=actor.program_id, run__continuous=True, incident_number__in=numbers
            ).values_list("incident_number", flat=True)
        )
        if seen:
            frame = frame.filter(~pl.col("incident_number").is_in(list(seen)))
        counts = {"received": received, "stored": frame.height, "already_received": received - frame.height}
        if frame.height == 0:
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type="ScreeningRun",
                detail={"source": source, **counts},
            )
            return None, {**counts, "eligible": 0, "diverted": 0, "missed": 0}
        frame, found = screened_matched(actor, frame, shifts)
        run = ScreeningRun.objects.create(
            program_id=actor.program_id,
            protocol_version=version,
            file_name=source[:255],
            continuous=True,
            rows=frame.height,
            eligible=found["eligible"],
            diverted=found["diverted"],
            missed=found["eligible"] - found["diverted"],
            diverted_ineligible=found["diverted_ineligible"],
        )
        _store_arrests(run, frame, lambda done, total, message: None)
        counts |= {"eligible": run.eligible, "diverted": run.diverted, "missed": run.missed}
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ScreeningRun",
            object_id=run.pk,
            detail={"source": source, "protocol_version": version.version, **counts},
        )
    return run, counts


def arrests_folder_screen(*, actor: Actor, folder: Path, mapping_text: str) -> list[dict]:
    """One pass over a watched folder: each CSV export dropped in it is read with the program's mapping
    and screened as continuous batches, then moved to `done/`; a file with any bad row loads nothing and
    moves to `refused/` beside a `.problems.txt` naming every problem by line and field. Returns one
    result per file (name, stored or the problems)."""
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    mapping = screening.load_mapping(mapping_text, file="mapping")
    results = []
    for path in sorted(folder.glob("*.csv")):
        try:
            frame = screening.read_arrests(path, mapping, file=path.name)
            arrests = frame.select([c for c in COLUMNS if c in frame.columns]).to_dicts()
            with transaction.atomic():
                counts = [
                    arrests_screen(
                        actor=actor, arrests=arrests[i : i + MAX_BATCH], source=f"folder:{path.name}"
                    )[1]
                    for i in range(0, len(arrests), MAX_BATCH)
                ]
        except (InvalidFile, ValidationError) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                problems = [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
            else:
                problems = list(exc.messages)
            _move(path, folder / "refused")
            (folder / "refused" / f"{path.name}.problems.txt").write_text("\n".join(problems) + "\n")
            results.append({"file": path.name, "problems": problems})
            continue
        _move(path, folder / "done")
        results.append({"file": path.name, "stored": sum(c["stored"] for c in counts)})
    return results


def _move(path: Path, into: Path) -> None:
    into.mkdir(exist_ok=True)
    path.replace(into / path.name)
