"""Every program setting in one table: key, label, group, type, default, bounds and help.

`Program.setting()` reads through this table (a key not in it is a programming error), the
program settings page is built from it, and docs/program-settings.md is generated from it
(`offramp program-settings --markdown`; a test keeps the two equal). A value the project
manager has not set is the default here; clearing a field on the page returns it to the default.

Each type turns the page's text into the stored value, or raises ValidationError naming the
setting; and turns a stored value back into text for the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from offramp.programs.areas import areas_parse, areas_text
from offramp.programs.wording import check_wording

GROUPS = (
    ("caseloads", "Caseloads"),
    ("intake", "Referral and intake"),
    ("case_work", "Case work"),
    ("screening", "Screening and equity"),
    ("integrations", "Integrations"),
    ("assessment", "Assessment"),
    ("retention", "Retention of non-arrest records"),
    ("wording", "Wording of statuses and exit reasons"),
)
GROUP_LABELS = dict(GROUPS)

ERR_WHOLE = "{label}: enter a whole number."
ERR_BOUNDS = "{label}: enter a number from {low} to {high}."
ERR_TOO_LONG = "{label}: at most {high} characters."
ERR_DAYS_LIST = "{label}: enter whole numbers of days from {low} to {high}, separated by commas."
ERR_PAIR = '{label}: line {line} must read "name = value".'
ERR_TIME = '{label}: line {line}: "{value}" is not a time as HH:MM (e.g. 07:00).'
ERR_SAME_START = "{label}: two shifts start at {value}; each shift needs its own start."
ERR_DUPLICATE = '{label}: "{name}" is named twice.'
ERR_SOFT_OVER_HARD = "Caseload warning limit ({soft}) must not be above the caseload hard limit ({hard})."
ERR_BELOW_DEPLOYMENT = (
    "Smallest count shown: {value} is below this deployment's minimum of {floor} (OFFRAMP_SMALL_CELL)."
)
ERR_UNKNOWN_DIMENSION = '{label}: line {line}: "{name}" is not one of {names}.'

ERR_LABEL_TOO_LONG = '{label}: the wording for "{name}" must be at most {high} characters.'
LABEL_MAX = 60
# The lists a program may reword: their names are the stored values (cases.models Status, ExitReason).
STATUS_NAMES = ("referred", "active", "inactive", "reengaged", "exited")
EXIT_REASON_NAMES = (
    "goals_met",
    "moved",
    "chose_to_leave",
    "long_term_incarceration",
    "deceased",
    "no_contact",
    "intake_not_completed",
)

HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    group: str
    kind: str  # whole | text | days | shifts | pairs | labels | areas | questions (not on the page)
    default: object
    help: str
    low: int | None = None
    high: int | None = None
    names: tuple[str, ...] = ()  # pairs: the names a line may use (empty: any)
    default_text: str = ""  # how the default reads, when not simply its text

    def parse(self, text: str):
        """The stored value for the page's text; blank is None (the default)."""
        text = (text or "").strip()
        if not text:
            return None
        return PARSERS[self.kind](self, text)

    def as_text(self, value) -> str:
        if value is None:
            return ""
        if self.kind == "days":
            return ", ".join(str(d) for d in value)
        if self.kind == "areas":
            return areas_text(value)
        if self.kind in ("shifts", "pairs", "labels"):
            return "\n".join(f"{name} = {v}" for name, v in value.items())
        return str(value)

    @property
    def shown_default(self) -> str:
        return self.default_text or self.as_text(self.default) or "(none)"

    @property
    def allowed(self) -> str:
        """What the page accepts, in words."""
        if self.kind == "whole":
            return f"{self.low} to {self.high}"
        if self.kind == "text":
            return f"up to {self.high} characters"
        if self.kind == "days":
            return f"days, each {self.low} to {self.high}, separated by commas"
        if self.kind == "shifts":
            return "one line per shift: name = HH:MM, distinct starts"
        if self.kind == "pairs":
            return "one line each: dimension = group; dimensions: " + ", ".join(self.names)
        if self.kind == "labels":
            return "one line each: name = wording, names: " + ", ".join(self.names) + "; no failure words"
        if self.kind == "areas":
            return "one line each: name = latitude, longitude; names up to 64 characters, each once"
        return "a question set per domain, checked by cases/questions.py"

    @property
    def on_page(self) -> bool:
        return self.kind in PARSERS


def _whole(setting: Setting, text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValidationError(ERR_WHOLE.format(label=setting.label))
    value = int(text)
    if not setting.low <= value <= setting.high:
        raise ValidationError(ERR_BOUNDS.format(label=setting.label, low=setting.low, high=setting.high))
    return value


def _text(setting: Setting, text: str) -> str:
    if len(text) > setting.high:
        raise ValidationError(ERR_TOO_LONG.format(label=setting.label, high=setting.high))
    return text


def _days(setting: Setting, text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise ValidationError(ERR_DAYS_LIST.format(label=setting.label, low=setting.low, high=setting.high))
    days = sorted({int(p) for p in parts}, reverse=True)
    if not all(setting.low <= d <= setting.high for d in days):
        raise ValidationError(ERR_DAYS_LIST.format(label=setting.label, low=setting.low, high=setting.high))
    return days


def _lines(setting: Setting, text: str) -> list[tuple[int, str, str]]:
    out, seen = [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        name, sep, value = raw.partition("=")
        name, value = name.strip(), value.strip().strip('"')
        if not sep or not name or not value:
            raise ValidationError(ERR_PAIR.format(label=setting.label, line=number))
        if name in seen:
            raise ValidationError(ERR_DUPLICATE.format(label=setting.label, name=name))
        seen.add(name)
        out.append((number, name, value))
    return out


def _shifts(setting: Setting, text: str) -> dict[str, str]:
    shifts, starts = {}, set()
    for number, name, value in _lines(setting, text):
        match = HHMM.match(value)
        if not match:
            raise ValidationError(ERR_TIME.format(label=setting.label, line=number, value=value))
        start = f"{int(match.group(1)):02d}:{match.group(2)}"
        if start in starts:
            raise ValidationError(ERR_SAME_START.format(label=setting.label, value=start))
        starts.add(start)
        shifts[name] = start
    return shifts


def _pairs(setting: Setting, text: str) -> dict[str, str]:
    pairs = {}
    for number, name, value in _lines(setting, text):
        if setting.names and name not in setting.names:
            names = ", ".join(setting.names)
            raise ValidationError(
                ERR_UNKNOWN_DIMENSION.format(label=setting.label, line=number, name=name, names=names)
            )
        pairs[name] = value
    return pairs


def _labels(setting: Setting, text: str) -> dict[str, str]:
    """A program's own wording for a fixed list: each line `name = wording`, never a failure word."""
    labels = _pairs(setting, text)
    for name, wording in labels.items():
        if len(wording) > LABEL_MAX:
            raise ValidationError(ERR_LABEL_TOO_LONG.format(label=setting.label, name=name, high=LABEL_MAX))
        check_wording(wording, what=f"{setting.label}, {name}")
    return labels


def _areas(setting: Setting, text: str) -> dict[str, list[float]]:
    return areas_parse(setting.label, _lines(setting, text))


PARSERS = {
    "whole": _whole,
    "text": _text,
    "days": _days,
    "shifts": _shifts,
    "pairs": _pairs,
    "labels": _labels,
    "areas": _areas,
}

SETTINGS_LIST = (
    Setting(
        "caseload_soft_limit",
        "Caseload warning limit",
        "caseloads",
        "whole",
        20,
        "Open cases past which a supervisor assigning one more is warned and must confirm.",
        low=1,
        high=200,
    ),
    Setting(
        "caseload_hard_limit",
        "Caseload hard limit",
        "caseloads",
        "whole",
        25,
        "Open cases a case manager may hold at most; an assignment past it is refused.",
        low=1,
        high=200,
    ),
    Setting(
        "intake_window_days",
        "Intake window (days)",
        "intake",
        "whole",
        None,
        "Days from an arrest referral to the intake deadline, after which the charge may be filed.",
        low=1,
        high=365,
        default_text="the published protocol's window (30 days unless it says otherwise)",
    ),
    Setting(
        "intake_warning_days",
        "Intake deadline reminders (days before)",
        "intake",
        "days",
        [7, 2],
        "Days before the intake deadline on which the case manager is reminded, e.g. 7, 2.",
        low=1,
        high=365,
    ),
    Setting(
        "intake_place",
        "Intake place",
        "intake",
        "text",
        "",
        "Where the officer brings the person for the warm hand-off, shown on the hand-off page.",
        low=0,
        high=200,
    ),
    Setting(
        "intake_phone",
        "Intake phone",
        "intake",
        "text",
        "",
        "The number the officer calls for the hand-off, shown on the hand-off page.",
        low=0,
        high=40,
    ),
    Setting(
        "areas",
        "Program areas (name = latitude, longitude)",
        "intake",
        "areas",
        {},
        "One line per precinct, beat or neighbourhood the program works in, at its middle, e.g. "
        "North precinct = 47.70, -122.33. The officer's referral offers them as its precinct or beat, "
        "and the directory's Near search by name.",
        default_text="none",
    ),
    Setting(
        "in_the_wind_days",
        "No recent contact after (days)",
        "case_work",
        "whole",
        30,
        "Days without a successful contact after which an open case is flagged for outreach.",
        low=1,
        high=365,
    ),
    Setting(
        "no_contact_exit_months",
        "Exit for no contact after (months)",
        "case_work",
        "whole",
        6,
        "A case may be exited for no contact only after this many months without a successful contact.",
        low=1,
        high=36,
    ),
    Setting(
        "service_referral_stuck_days",
        "Service referral reminder after (days)",
        "case_work",
        "whole",
        14,
        "Days a service referral may wait on one step before the case manager is reminded.",
        low=1,
        high=180,
    ),
    Setting(
        "small_cell_threshold",
        "Smallest count shown",
        "screening",
        "whole",
        None,
        "Counts below this are suppressed on the equity audit, in the enrolment table and in the "
        "evaluation report, so no small group can be singled out; never below the deployment's "
        "OFFRAMP_SMALL_CELL.",
        low=2,
        high=100,
        default_text="the deployment's OFFRAMP_SMALL_CELL (11 unless set)",
    ),
    Setting(
        "shifts",
        "Shifts (name = start)",
        "screening",
        "shifts",
        {"Day": "07:00", "Evening": "15:00", "Night": "23:00"},
        "One line per shift, e.g. Day = 07:00; a shift runs to the next one's start. Used to place "
        "arrests in shifts when the records file has no shift column.",
    ),
    Setting(
        "equity_reference",
        "Equity reference groups (dimension = group)",
        "screening",
        "pairs",
        {},
        "One line per dimension, e.g. race = White; blank: each dimension's largest group.",
        names=("race", "ethnicity", "sex", "age_group", "officer", "unit", "shift", "area"),
        default_text="each dimension's largest group",
    ),
    Setting(
        "eligible_booked_hours",
        "Eligible but booked: look back (hours)",
        "screening",
        "whole",
        24,
        "Hours of posted arrests the eligible-but-booked list looks back over.",
        low=1,
        high=720,
    ),
    Setting(
        "arrest_watch",
        "Watched arrests folder (folder = path, mapping = path)",
        "integrations",
        "pairs",
        {},
        "Two lines, folder = /srv/offramp/arrests and mapping = /srv/offramp/rms-mapping.toml: the folder "
        "the records system drops exports in, and the mapping file that reads them.",
        names=("folder", "mapping"),
        default_text="no watched folder",
    ),
    Setting(
        "hmis_project_type",
        "HMIS project type (2.02.6)",
        "integrations",
        "whole",
        6,
        "The HMIS project type code in the HMIS export: 4 Street Outreach, 6 Services Only, 7 Other.",
        low=4,
        high=7,
    ),
    Setting(
        "retention_lapsed_referral_days",
        "Lapsed referral: remove identifying details after (days)",
        "retention",
        "whole",
        None,
        "Days after a referral lapsed (its intake never completed and the case closed, or no case was "
        "opened) before the person's names, date of birth (the year is kept), aliases, contact details "
        "and free-text notes are removed, if nothing else of theirs is open or on legal hold. "
        "De-identified counts stay for the evaluation. Run daily and by `offramp retention`.",
        low=30,
        high=3650,
        default_text="kept (nothing removed)",
    ),
    Setting(
        "retention_closed_case_years",
        "Closed case: remove identifying details after (years)",
        "retention",
        "whole",
        None,
        "Years after a case closed (exited after intake) before the person's identifying details are "
        "removed as for a lapsed referral, if nothing else of theirs is open or on legal hold.",
        low=1,
        high=75,
        default_text="kept (nothing removed)",
    ),
    Setting(
        "status_labels",
        "Case statuses, reworded (status = wording)",
        "wording",
        "labels",
        {},
        "One line per status to reword, e.g. inactive = Taking a break; blank: the shipped wording. "
        "Nothing may speak of failure or compliance.",
        names=STATUS_NAMES,
        default_text="the shipped wording (Referred, Active, Inactive, Re-engaged, Exited)",
    ),
    Setting(
        "exit_reason_labels",
        "Exit reasons, reworded (reason = wording)",
        "wording",
        "labels",
        {},
        "One line per exit reason to reword, e.g. no_contact = Lost touch; blank: the shipped wording. "
        "Nothing may speak of failure or compliance.",
        names=EXIT_REASON_NAMES,
        default_text="the shipped wording",
    ),
    Setting(
        "assessment_questions",
        "Assessment questions",
        "assessment",
        "questions",
        {},
        "The program's own questions for some assessment domains, replacing the shipped ones; set "
        "on the Assessment questions page (each save a new version), not on the settings page.",
        default_text="the shipped questions",
    ),
)
SETTINGS: dict[str, Setting] = {s.key: s for s in SETTINGS_LIST}


def default(key: str):
    value = SETTINGS[key].default
    return value.copy() if isinstance(value, (dict, list)) else value


def check_together(values: dict) -> None:
    """Rules across settings (and the deployment's), on the values as they would be after a change."""
    soft, hard = values["caseload_soft_limit"], values["caseload_hard_limit"]
    if soft > hard:
        raise ValidationError(ERR_SOFT_OVER_HARD.format(soft=soft, hard=hard))
    threshold = values["small_cell_threshold"]
    if threshold is not None and threshold < settings.SMALL_CELL:
        raise ValidationError(ERR_BELOW_DEPLOYMENT.format(value=threshold, floor=settings.SMALL_CELL))


def grouped() -> list[tuple[str, list[Setting]]]:
    return [(label, [s for s in SETTINGS_LIST if s.group == group]) for group, label in GROUPS]


def markdown() -> str:
    """docs/program-settings.md, generated from the table."""
    lines = [
        "# Program settings",
        "",
        "<!-- Generated by `offramp program-settings --markdown` from offramp/programs/configuration.py;",
        "     a test keeps this file equal to it. Do not edit by hand. -->",
        "",
        "A project manager (or the system administrator) changes these on the program's",
        "**Program settings** page. Each change is checked, saved and audited with the value",
        "before and after; clearing a field returns the setting to its default.",
        "",
    ]
    for label, entries in grouped():
        lines += [
            f"## {label}",
            "",
            "| Setting | Key | Default | Allowed | Meaning |",
            "|---|---|---|---|---|",
        ]
        for s in entries:
            default_text = s.shown_default.replace("\n", "; ")
            lines.append(f"| {s.label} | `{s.key}` | {default_text} | {s.allowed} | {s.help} |")
        lines.append("")
    return "\n".join(lines)
