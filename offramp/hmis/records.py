"""The HMIS rows built from a case's outcome snapshots, and an exit's Destination. No database.

A snapshot (offramp/cases/outcomes.py) is one information date: its living situation is a
CurrentLivingSituation record (the same HMIS list, 4.12), its income sources and health insurance an
IncomeBenefits record, its place on the employment continuum an EmploymentEducation record. A column
offramp does not ask about is left empty (not collected), never guessed: amounts, the benefits and
insurances that are not on offramp's lists, school and grade.
"""

import datetime as dt

from django.utils import timezone

from offramp.cases.models import Case, ExitReason, OutcomeSnapshot, Status
from offramp.cases.outcomes import Employment, IncomeSource, Insurance, LivingSituation
from offramp.hmis import spec

# IncomeBenefits: offramp's income sources, each with its column; the rest go in OtherIncomeSource.
INCOME_COLUMNS = {
    IncomeSource.EARNED: "Earned",
    IncomeSource.UNEMPLOYMENT: "Unemployment",
    IncomeSource.SSI: "SSI",
    IncomeSource.SSDI: "SSDI",
    IncomeSource.TANF: "TANF",
    IncomeSource.GENERAL_ASSISTANCE: "GA",
}
OTHER_INCOME = {
    IncomeSource.VETERANS: "Veterans' benefits",
    IncomeSource.OTHER: "Other income or benefits",
}
BENEFIT_COLUMNS = {IncomeSource.SNAP: "SNAP"}
# Health insurance: one answer per snapshot; "private" may be employer-provided or self-paid, so it is
# Other with offramp's label rather than a guess between EmployerProvided and PrivatePay.
INSURANCE_COLUMNS = {
    Insurance.MEDICAID: ("Medicaid", ""),
    Insurance.MEDICARE: ("Medicare", ""),
    Insurance.VA: ("VHAServices", ""),
    Insurance.PRIVATE: ("OtherInsurance", Insurance.PRIVATE.label),
    Insurance.OTHER: ("OtherInsurance", Insurance.OTHER.label),
}
EMPLOYED = {
    Employment.FULL_TIME: spec.EMPLOYMENT_FULL_TIME[1],
    Employment.PART_TIME: spec.EMPLOYMENT_PART_TIME[1],
    Employment.INFORMAL: spec.EMPLOYMENT_SPORADIC[1],
}
# Not employed, with HUD's reason where offramp's answer says it (school and volunteering say none).
NOT_EMPLOYED_REASON = {
    Employment.LOOKING: spec.NOT_EMPLOYED_LOOKING[1],
    Employment.UNABLE: spec.NOT_EMPLOYED_UNABLE[1],
    Employment.NOT_ENGAGED: spec.NOT_EMPLOYED_NOT_LOOKING[1],
    Employment.TRAINING: "",
    Employment.VOLUNTEER: "",
}
# Destination (list 3.12) from the living situation at exit (list 4.12): the same code where 3.12 has it;
# staying with family or friends is the temporary-tenure destination (4.12 files both as temporary).
DESTINATION_FOR_LIVING = {
    **{code: code for code in LivingSituation.values if code in spec.DESTINATION_CODES},
    LivingSituation.FAMILY: spec.DESTINATION_FAMILY_TEMPORARY[1],
    LivingSituation.FRIEND: spec.DESTINATION_FRIENDS_TEMPORARY[1],
}
DESTINATION_FOR_REASON = {
    ExitReason.DECEASED: spec.DESTINATION_DECEASED[1],
    ExitReason.LONG_TERM_INCARCERATION: spec.DESTINATION_JAIL[1],
}
NO_EXIT_INTERVIEW = {ExitReason.NO_CONTACT, ExitReason.INTAKE_NOT_COMPLETED}
EXIT_SNAPSHOT_DAYS = 31  # a snapshot this close before the exit tells where the participant went


def _at(moment) -> str:
    return timezone.localtime(moment).strftime(spec.DATETIME) if moment else ""


def _yes(flag: bool) -> int:
    return spec.YES[1] if flag else spec.NO[1]


def _stages(case: Case, snapshots: list[OutcomeSnapshot]) -> dict[int, int]:
    """Snapshot id -> DataCollectionStage: the last one on the entry day is the entry record, the last
    one on the exit day the exit record, the others updates."""
    stages = {s.pk: spec.STAGE_UPDATE[1] for s in snapshots}
    entry = timezone.localtime(case.opened_at).date()
    on_entry = [s for s in snapshots if s.as_of == entry]
    if on_entry:
        stages[on_entry[-1].pk] = spec.STAGE_ENTRY[1]
    if case.status == Status.EXITED:
        exit_day = timezone.localtime(case.status_changed_at).date()
        on_exit = [s for s in snapshots if s.as_of == exit_day]
        if on_exit:
            stages[on_exit[-1].pk] = spec.STAGE_EXIT[1]
    return stages


def snapshot_rows(case: Case, snapshots: list[OutcomeSnapshot], common: dict) -> dict[str, list[dict]]:
    """The CurrentLivingSituation, IncomeBenefits and EmploymentEducation rows of one case's snapshots
    (oldest first)."""
    stages = _stages(case, snapshots)
    rows: dict[str, list[dict]] = {
        "CurrentLivingSituation": [],
        "IncomeBenefits": [],
        "EmploymentEducation": [],
    }
    for s in snapshots:
        base = {
            "EnrollmentID": f"E{case.pk}",
            "PersonalID": case.person_id,
            "InformationDate": s.as_of.strftime(spec.DATE),
            "DateCreated": _at(s.created_at),
            "DateUpdated": _at(s.created_at),  # a snapshot is never edited: a correction is a new one
            **common,
        }
        rows["CurrentLivingSituation"].append(
            {"CurrentLivingSitID": f"L{s.pk}", "CurrentLivingSituation": s.living_situation, **base}
        )
        stage = {"DataCollectionStage": stages[s.pk]}
        rows["IncomeBenefits"].append({"IncomeBenefitsID": f"I{s.pk}", **_income(s), **stage, **base})
        rows["EmploymentEducation"].append(
            {"EmploymentEducationID": f"W{s.pk}", **_employment(s), **stage, **base}
        )
    return rows


def _income(s: OutcomeSnapshot) -> dict:
    sources = set(s.income_sources)
    others = [label for source, label in OTHER_INCOME.items() if source in sources]
    row: dict = {column: _yes(source in sources) for source, column in INCOME_COLUMNS.items()}
    row["OtherIncomeSource"] = _yes(bool(others))
    row["OtherIncomeSourceIdentify"] = "; ".join(others)[:50]
    row["IncomeFromAnySource"] = _yes(bool(sources & (set(INCOME_COLUMNS) | set(OTHER_INCOME))))
    row.update({column: _yes(source in sources) for source, column in BENEFIT_COLUMNS.items()})
    row["BenefitsFromAnySource"] = _yes(bool(sources & set(BENEFIT_COLUMNS)))
    if s.health_insurance == Insurance.UNKNOWN:
        row["InsuranceFromAnySource"] = spec.ANY_NOT_COLLECTED[1]
    elif s.health_insurance == Insurance.NONE:
        row["InsuranceFromAnySource"] = spec.ANY_NO[1]
    else:
        column, identify = INSURANCE_COLUMNS[s.health_insurance]
        row.update({"InsuranceFromAnySource": spec.ANY_YES[1], column: spec.YES[1]})
        if identify:
            row["OtherInsuranceIdentify"] = identify
    return row


def _employment(s: OutcomeSnapshot) -> dict:
    if s.employment in EMPLOYED:
        return {"Employed": spec.ANY_YES[1], "EmploymentType": EMPLOYED[s.employment]}
    return {"Employed": spec.ANY_NO[1], "NotEmployedReason": NOT_EMPLOYED_REASON[s.employment]}


def destination(case: Case, snapshots: list[OutcomeSnapshot]) -> int:
    """Where an exited participant went: deceased or long-term incarceration from the exit reason; else
    the living situation of the latest snapshot in the month before the exit; else 30 (no exit interview)
    when the case closed for want of contact, or 99 (data not collected)."""
    if case.exit_reason in DESTINATION_FOR_REASON:
        return DESTINATION_FOR_REASON[case.exit_reason]
    exit_day = timezone.localtime(case.status_changed_at).date()
    since = exit_day - dt.timedelta(days=EXIT_SNAPSHOT_DAYS)
    near = [s for s in snapshots if since <= s.as_of <= exit_day]
    code = DESTINATION_FOR_LIVING.get(near[-1].living_situation) if near else None
    if code is not None and code != spec.DESTINATION_NOT_COLLECTED[1]:
        return code
    if case.exit_reason in NO_EXIT_INTERVIEW:
        return spec.DESTINATION_NO_EXIT_INTERVIEW[1]
    return spec.DESTINATION_NOT_COLLECTED[1]
