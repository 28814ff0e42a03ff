"""The funder's quarterly report: the COSSUP diversion measures (offramp/reports/measures.py) answered
from the dashboard's own figures for one calendar quarter, audited, aggregate only.

A measure's value is the dashboard cell it names, so a small cell suppressed on the dashboard is
suppressed here too, and the two pages can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from offramp.access.audit import Action, audit_record
from offramp.access.policy import Category, Scope
from offramp.access.scope import Actor
from offramp.reports import queries
from offramp.reports.cells import NO_DATA, Cell
from offramp.reports.measures import MEASURES, QUESTIONNAIRE, Measure
from offramp.reports.period import Period
from offramp.reports.sections import Section

CSV_HEADER = ["Question", "Wording", "Value", "Note"]
NOT_HELD = "not held"


@dataclass(frozen=True)
class Answer:
    measure: Measure
    cell: Cell | None  # None when offramp does not hold the measure

    @property
    def text(self) -> str:
        return self.cell.text if self.cell is not None else NOT_HELD


def _cell(sections: dict[str, Section], source) -> Cell:
    section = sections[source[0]]
    if len(source) == 2:
        return dict(section.figures)[source[1]]
    label, column = source[1], source[2]
    row = next(row for row in section.table.rows if row[0] == label)
    return row[column]


def answers(sections: list[Section]) -> list[Answer]:
    by_key = {section.key: section for section in sections}
    return [
        Answer(measure, _cell(by_key, measure.source) if measure.source is not None else None)
        for measure in MEASURES
    ]


def funder_report_for(actor: Actor, quarter: str, period: Period, *, view: str = "funder") -> dict:
    """Every measure for the quarter, with the program's small-cell threshold; one audit entry."""
    actor.require(Category.CASE_RECORD, Scope.PROGRAM)
    now = timezone.now()
    found = answers(queries.sections_for(actor, period, now))
    audit_record(
        actor=actor,
        action=Action.EXPORT if view.endswith("_csv") else Action.READ,
        object_type="Program",
        object_id=actor.program_id,
        detail={"view": view, "quarter": quarter},
    )
    return {
        "answers": found,
        "quarter": quarter,
        "questionnaire": QUESTIONNAIRE,
        "threshold": queries.small_cell_threshold(actor.program),
        "today": timezone.localdate(now, timezone=actor.program.zone),
    }


def csv_rows(report: dict) -> list[list[str]]:
    """The questionnaire's layout: question number, wording as published, value, note."""
    rows = [CSV_HEADER]
    for answer in report["answers"]:
        value = answer.text
        note = answer.measure.note
        if answer.cell is not None and answer.cell.suppressed:
            note = f"Suppressed: fewer than {report['threshold']} people. {note}"
        elif answer.cell is not None and answer.cell.text == NO_DATA:
            value, note = "", f"No data in the quarter. {note}"
        rows.append([answer.measure.number, answer.measure.question, value, note])
    return rows
