"""One report for a council or policy group from two raw exports: the records system's arrests and
the legal system's records (arrests, bookings, charges, jail stays) of the people in the evaluation.

It reuses every figure the other pages compute: batch screening and the equity audit
(offramp/referrals), the dashboard's participation and outcome sections (offramp/reports/queries.py)
and the program's saved study run on its de-identified records (offramp/analysis), so no figure here
can disagree with its page. Everything is stored in one transaction: a bad row in either file raises
ValidationError naming the file, line and field, and nothing is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor, trusted
from offramp.analysis import actions as analysis_actions
from offramp.analysis.models import Study
from offramp.referrals import actions as referral_actions
from offramp.referrals import queries as referral_queries
from offramp.reports import queries
from offramp.reports.period import period_from

STEPS = 5
ERR_NO_STUDY = (
    "The program has no saved study, so the evaluation against the comparison group was not run: "
    "save one on the evaluation page (or with `offramp evaluate`) first"
)
ERR_STUDY = "The evaluation could not be run, nothing stored: {error}"
SECTIONS = ("referrals", "handoffs", "intake", "engagement", "services", "outcomes", "exits")

Progress = Callable[[int, int, str], None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_roles(actor: Actor) -> None:
    actor.require(Category.PROGRAM_CONFIG, Scope.PROGRAM)
    actor.require(Category.DEIDENTIFIED, Scope.PROGRAM)
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)


def _study(actor: Actor) -> Study:
    with trusted("reports.council: the program's study"):
        study = Study.objects.filter(program_id=actor.program_id).order_by("-created_at", "-id").first()
    if study is None:
        raise ValidationError(ERR_NO_STUDY)
    return study


def _screening_figures(run) -> dict:
    def share(part: int) -> float | None:
        return round(part / run.eligible, 4) if run.eligible else None

    return {
        "run_id": run.pk,
        "arrests_screened": run.rows,
        "eligible": run.eligible,
        "offered_diversion": run.diverted,
        "eligible_but_booked": run.missed,
        "offered_share_of_eligible": share(run.diverted),
        "booked_share_of_eligible": share(run.missed),
    }


def _equity_figures(equity: dict) -> dict:
    return {
        "overall_offer_rate": equity["overall"],
        "threshold": equity["threshold"],
        "breakdowns": [
            {"dimension": field, "label": label, "groups": [asdict(cell) for cell in cells]}
            for field, label, cells, _chart in equity["breakdowns"]
        ],
        "officers_flagged": [cell.group for cell in equity["flagged"]],
    }


def section_figures(sections) -> dict:
    """Each dashboard section's headline figures and table rows, as the page shows them."""
    out = {}
    for section in sections:
        if section.key not in SECTIONS:
            continue
        table = None
        if section.table is not None:
            table = {
                "headers": section.table.headers,
                "rows": [[c if isinstance(c, str) else c.text for c in row] for row in section.table.rows],
            }
        out[section.key] = {
            "title": section.title,
            "figures": {label: cell.text for label, cell in section.figures},
            "table": table,
        }
    return out


def _evaluation(result: dict) -> dict:
    return {
        "study": result["study"].get("name"),
        "contrasts": [
            {
                "intervention": c["intervention"],
                "comparison": c["comparison"],
                "summary": c["summary"],
                "warnings": c["warnings"],
                "figures": [o.get("figures", {}) for o in c.get("outcomes", [])],
            }
            for c in result.get("contrasts", [])
        ],
    }


def summary(figures: dict) -> list[str]:
    """The plain-language summary that opens the report."""
    s = figures["screening"]
    lines = [
        f"Of {s['arrests_screened']:,} arrests in the records-system export, {s['eligible']:,} met the "
        f"program's eligibility protocol; {s['offered_diversion']:,} of those were offered diversion and "
        f"{s['eligible_but_booked']:,} were booked.",
    ]
    if figures["equity"]["overall_offer_rate"]:
        lines.append(
            f"Across every group, {figures['equity']['overall_offer_rate']} of eligible arrests were "
            "offered diversion; the equity tables show each group's rate against it."
        )
    part = figures["participation"]
    referrals = part["referrals"]["table"]["rows"][-1][-1]
    intake = part["intake"]["figures"]
    lines.append(
        f"In the twelve months to {figures['period']['to']}, {referrals} referrals were made, "
        f"{intake['Intakes completed']} intakes were completed and the median wait for intake was "
        f"{intake['Median days to intake']}."
    )
    for contrast in figures["evaluation"]["contrasts"]:
        lines += contrast["summary"]
    return lines


def council_report_build(
    *,
    actor: Actor,
    arrests: Path,
    records: Path,
    arrests_mapping: str,
    records_mapping: str,
    arrests_mapping_name: str = "",
    records_mapping_name: str = "",
    arrests_name: str = "",
    records_name: str = "",
    progress: Progress | None = None,
) -> dict:
    """Screen the arrests, add the legal records, run the program's study and gather every figure.

    Returns {"summary", "figures", "provenance"}; raises ValidationError (nothing stored) on bad input.
    """
    require_roles(actor)
    report = progress or (lambda done, total, message: None)
    arrests_name = arrests_name or arrests.name
    records_name = records_name or records.name
    provenance = {
        "arrests": {"file": arrests_name, "sha256": sha256_of(arrests)},
        "records": {"file": records_name, "sha256": sha256_of(records)},
        "arrests_mapping_sha256": hashlib.sha256(arrests_mapping.encode()).hexdigest(),
        "records_mapping_sha256": hashlib.sha256(records_mapping.encode()).hexdigest(),
    }
    study = _study(actor)
    with transaction.atomic():
        report(0, STEPS, f"Screening {arrests_name}")
        run, _frame = referral_actions.screening_run_create(
            actor=actor,
            source=arrests,
            file_name=arrests_name,
            mapping_text=arrests_mapping,
            mapping_name=arrests_mapping_name,
        )
        report(1, STEPS, f"Adding the legal records in {records_name}")
        batch = analysis_actions.records_import(
            actor=actor,
            path=records,
            mapping_text=records_mapping,
            file_name=records_name,
            mapping_name=records_mapping_name,
            source="council report",
        )
        report(2, STEPS, "Equity of the offers")
        equity = referral_queries.screening_equity(actor, run.pk)
        report(3, STEPS, "Participation and outcomes")
        now = timezone.now()
        today = timezone.localdate(now, timezone=actor.program.zone)
        period = period_from({}, today=today, zone=actor.program.zone)
        sections = queries.sections_for(actor, period, now)
        report(4, STEPS, f"Evaluation: {study.name}")
        computed = analysis_actions.study_compute(actor=actor, toml=study.toml)
        if computed[1]:
            raise ValidationError(ERR_STUDY.format(error=" ".join(computed[1].split())))
        study_run = analysis_actions.study_run_create(actor=actor, study=study, toml=study.toml)
        study_run = analysis_actions.study_run_execute(actor=actor, run_id=study_run.pk, computed=computed)
        provenance |= {
            "protocol": {
                "version": run.protocol_version.version,
                "label": run.protocol_version.label,
                "published_at": run.protocol_version.published_at.isoformat(),
            },
            "study": {
                "name": study.name,
                "id": study.pk,
                "sha256": study_run.result["provenance"]["study_sha256"],
                "run_id": study_run.pk,
            },
            "import_batch": batch.pk,
            "made_at": now.isoformat(),
            "program": actor.program.slug,
        }
        figures = {
            "period": {"from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}"},
            "screening": _screening_figures(run),
            "equity": _equity_figures(equity),
            "participation": section_figures(sections),
            "evaluation": _evaluation(study_run.result),
        }
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            object_type="Program",
            object_id=actor.program_id,
            detail={"view": "council_report", "screening_run": run.pk, "study_run": study_run.pk},
        )
    report(STEPS, STEPS, "Report ready")
    return {"summary": summary(figures), "figures": figures, "provenance": provenance}
