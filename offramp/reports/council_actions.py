"""Making and reading stored council reports: the page's side of offramp/reports/council.py."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from offramp.access.audit import Action, audit_record, read_or_not_found
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.analysis.mapping import records_mapping as read_records_mapping
from offramp.files.problems import InvalidFile
from offramp.referrals.screening import load_mapping
from offramp.reports import council
from offramp.reports.models import CouncilReport


def council_report_create(
    *, actor: Actor, arrests: Path, records: Path, progress=None, **files
) -> CouncilReport:
    """Build the report (nothing stored on bad input) and keep it; one transaction."""
    with transaction.atomic():
        report = council.council_report_build(
            actor=actor, arrests=arrests, records=records, progress=progress, **files
        )
        with trusted("reports.council_report_create"):
            saved = CouncilReport.objects.create(
                program_id=actor.program_id,
                arrests_file=report["provenance"]["arrests"]["file"][:255],
                records_file=report["provenance"]["records"]["file"][:255],
                report=json.loads(json.dumps(report, default=str)),
                created_by=actor.user if actor.user_id else None,
            )
        audit_record(actor=actor, action=Action.CREATE, object_type="CouncilReport", object_id=saved.pk)
    return saved


def council_reports_for(actor: Actor) -> list[CouncilReport]:
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    with trusted("reports.council_reports_for"):
        return list(
            CouncilReport.objects.filter(program_id=actor.program_id)
            .defer("report")
            .select_related("created_by")[:50]
        )


def council_report_for(actor: Actor, report_id: int, *, export: bool = False) -> CouncilReport:
    """One stored report of the actor's program; audited (a stranger's id answers 404, audited too)."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    with trusted("reports.council_report_for"):
        found = CouncilReport.objects.filter(program_id=actor.program_id, pk=report_id).first()
    found = read_or_not_found(
        actor,
        found,
        "CouncilReport",
        report_id,
        detail={"view": "council_json" if export else "council_report"},
        action=Action.EXPORT if export else Action.READ,
    )
    return found


def check_mapping_texts(arrests_mapping: str, records_mapping: str) -> None:
    """Both mappings are read now, so a wrong one is refused on the form before anything is queued."""
    try:
        load_mapping(arrests_mapping, file="arrests mapping")
        read_records_mapping(records_mapping, file="records mapping")
    except InvalidFile as exc:
        raise ValidationError(exc.messages) from None
