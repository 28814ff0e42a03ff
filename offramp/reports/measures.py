"""The funder's quarterly measures as data: BJA's COSSUP (formerly COAP) performance measures for
law enforcement and first responder diversion and deflection, as offramp can answer them. No database.

Each row is one question of the questionnaire's diversion/deflection section (the source and version
are in docs/reports.md). `source` names the dashboard figure that answers it: the section key, then the
headline figure's label, or a table row's label and the column (counted from 1 after the label). A row
without a source is a measure offramp does not hold; `note` says why. The numbering is offramp's
(D for diversion, in the questionnaire's order); the PMT's own item numbers change between releases.
"""

from __future__ import annotations

from dataclasses import dataclass

QUESTIONNAIRE = (
    "BJA Comprehensive Opioid Abuse Site-based Program (COAP, now COSSUP) Combined Performance Measures, "
    "August 2019: law enforcement/first responder diversion and deflection"
)


@dataclass(frozen=True)
class Measure:
    number: str
    question: str
    note: str  # how offramp computes it, or why it is not held
    source: tuple[str, str] | tuple[str, str, int] | None = None

    @property
    def held(self) -> bool:
        return self.source is not None


def _not_held(number: str, question: str, why: str) -> Measure:
    return Measure(number, question, f"Not held: {why}")


MEASURES: tuple[Measure, ...] = (
    Measure(
        "D1",
        "Number of individuals screened for diversion program eligibility during the reporting period",
        "Arrests in the records-system exports screened against the protocol in the quarter (one row is "
        "one arrest, so a person arrested twice counts twice).",
        ("screening", "Arrests screened"),
    ),
    Measure(
        "D2",
        "Of those screened, the number who were eligible for diversion",
        "Screened arrests the protocol does not rule out (eligible or needing review).",
        ("screening", "Eligible arrests"),
    ),
    Measure(
        "D3",
        "Of those eligible, the number who were offered diversion",
        "Eligible arrests matched to a referral.",
        ("screening", "Offered diversion"),
    ),
    Measure(
        "D4",
        "Of those eligible, the number who were not diverted (booked)",
        "Eligible arrests with no referral.",
        ("screening", "Eligible but booked"),
    ),
    Measure(
        "D5",
        "Number of referrals by law enforcement at the point of arrest (pre-booking diversion)",
        "Referrals recorded in the quarter through the arrest diversion door.",
        ("referrals", "Arrest diversion"),
    ),
    Measure(
        "D6",
        "Number of referrals to the program by law enforcement without an arrest (pre-arrest deflection)",
        "Referrals recorded in the quarter through the social contact door.",
        ("referrals", "Social contact"),
    ),
    Measure(
        "D7",
        "Number of referrals to the program from other sources (self, family, community partners)",
        "Referrals recorded in the quarter through the community referral door.",
        ("referrals", "Community referral"),
    ),
    Measure(
        "D8",
        "Number of warm hand-offs from an officer or first responder to program staff",
        "Referrals in the quarter with a warm hand-off requested.",
        ("handoffs", "Hand-offs requested"),
    ),
    Measure(
        "D9",
        "Percent of warm hand-offs in which program staff arrived within the program's target time",
        "Arrivals within 30 minutes over hand-offs with an arrival recorded.",
        ("handoffs", "Within 30 minutes"),
    ),
    Measure(
        "D10",
        "Number of new participants enrolled in the program during the reporting period",
        "Cases opened in the quarter whose intake was completed.",
        ("intake", "Intakes completed"),
    ),
    Measure(
        "D11",
        "Percent of referrals that resulted in enrollment",
        "Completed intakes over cases opened in the quarter whose intake window has closed.",
        ("intake", "Intake completion rate"),
    ),
    Measure(
        "D12",
        "Average time from referral to enrollment (days)",
        "Reported as the median days from the referral to the completed intake (a mean is pulled by a few "
        "very late intakes).",
        ("intake", "Median days to intake"),
    ),
    Measure(
        "D13",
        "Number of participants receiving case management services",
        "Open cases (every status but exited) as of the day the report is made, not at the quarter's end.",
        ("engagement", "Open cases today"),
    ),
    Measure(
        "D14",
        "Number of referrals of participants to treatment and recovery support services",
        "Service referrals made in the quarter, every area of need.",
        ("services", "Service referrals made"),
    ),
    Measure(
        "D15",
        "Number of referrals that resulted in the participant connecting with the service",
        "Service referrals made in the quarter that reached connected or completed.",
        ("services", "Connected"),
    ),
    Measure(
        "D16",
        "Number of participants in permanent housing",
        "Participants with two or more outcome snapshots in the quarter, in permanent housing at their "
        "latest (HMIS living situations 400-499).",
        ("outcomes", "Permanent housing", 3),
    ),
    Measure(
        "D17",
        "Number of participants employed or engaged in employment services",
        "As D16, on the employment continuum (looking for work up to full-time) at their latest snapshot.",
        ("outcomes", "On the employment continuum", 3),
    ),
    Measure(
        "D18",
        "Number of participants who left the program during the reporting period",
        "Cases that exited in the quarter, every reason; the page lists them by reason.",
        ("exits", "Exits"),
    ),
    _not_held(
        "D19",
        "Number of participants who completed the program successfully",
        "LEAD has no graduation and offramp models no compliance or completion; exits are counted by "
        "reason under D18.",
    ),
    _not_held(
        "D20",
        "Number of participants who began medication for opioid use disorder (MOUD/MAT)",
        "offramp records service referrals by area of need, not treatment type or medication (42 CFR Part 2 "
        "records stay with the treatment provider).",
    ),
    _not_held(
        "D21",
        "Number of participants who experienced a nonfatal or fatal overdose",
        "overdose events are not recorded.",
    ),
    _not_held(
        "D22",
        "Number of naloxone kits distributed by the program",
        "naloxone distribution is not recorded.",
    ),
    _not_held(
        "D23",
        "Number of participants drug tested, and the results",
        "offramp never models abstinence or drug testing.",
    ),
    _not_held(
        "D24",
        "Number of participants arrested for a new offense during the reporting period",
        "new arrests come from the legal-system imports, matched to participants for the evaluation; the "
        "council report's comparison, not a quarterly count, is where offramp reports them.",
    ),
    _not_held(
        "D25",
        "Number of law enforcement officers and first responders trained on the diversion program",
        "officer training is not recorded.",
    ),
    _not_held(
        "D26",
        "Amount of federal grant funds expended during the reporting period",
        "offramp holds no grant accounts.",
    ),
)
