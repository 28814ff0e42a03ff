"""What a dashboard section holds, and the words that say how each figure is computed. No database."""

from __future__ import annotations

from dataclasses import dataclass, field

from offramp.reports.cells import Cell
from offramp.reports.charts import Chart


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell | str]]  # the first column is a label, the rest cells


@dataclass(frozen=True)
class Section:
    key: str  # the anchor of the section and of its method
    title: str
    figures: list[tuple[str, Cell]]  # headline figures
    table: Table | None
    chart: Chart | None
    method: str
    notes: list[str] = field(default_factory=list)


METHODS = {
    "referrals": "Referrals recorded in the period, by the door they came through and the month (in the "
    "program's time zone) of the referral's date. One referral is one arrival, so a person referred twice "
    "counts twice.",
    "screening": "From the batch screenings of records-system arrest exports uploaded in the period: "
    "eligible arrests are those the protocol does not rule out (eligible or needing review); offered "
    "diversion are eligible arrests matched to a referral; eligible but booked are eligible arrests with "
    "no referral. Rate: eligible but booked over eligible. Screenings cover arrests only, so a door filter "
    "other than arrest diversion shows none.",
    "handoffs": "Referrals in the period with a warm hand-off requested. Minutes run from the request to "
    "the case manager's recorded arrival; within target means 30 minutes or less. The median is over "
    "hand-offs with an arrival recorded.",
    "intake": "Cases opened in the period. Days to intake run from the case's opening (the referral) to "
    "the completed intake; the median is over completed intakes. The completion rate counts only cases "
    "whose intake window has closed (completed, or past the due date), so recent referrals still inside "
    "their window do not lower it.",
    "engagement": "Per month: successful contacts (attempts that did not reach the person are left out) "
    "over participants open that month (intake completed before the month ended, and not exited before "
    "it began). In the wind, as of today: open cases with no successful contact in the program's "
    "in-the-wind period (counted from the case's opening when it has had no contact).",
    "caseloads": "Open cases (every status but exited) per active case manager today, against the "
    "program's soft and hard caseload limits. Staff figures, not participant cells, so nothing is "
    "suppressed here.",
    "services": "Service referrals made in the period. Connected: the participant reached the service "
    "(connected or completed). Days to connect: from the referral to when it stopped waiting; days "
    "pending: from the referral to today, for those still proposed, referred or accepted (medians).",
    "outcomes": "Participants with at least two outcome snapshots dated in the period: their first and "
    "latest snapshot in it. Permanent housing: HMIS living situations 400-499; employment continuum: "
    "looking for work up to full-time; income: any income or benefit source; ID: a current photo ID. "
    "Change: latest minus first, in participants.",
    "exits": "Cases that exited in the period, by the reason recorded, and re-engagements (a case moved "
    "back to re-engaged) in the period, with the number of people they concern.",
}
