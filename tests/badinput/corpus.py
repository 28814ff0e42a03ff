"""The malformed inputs the bad-input suite sends to every form (not a test module).

Each form: the role that uses it, its URL, a valid submission, where the page keeps the bound form,
and the rows that must not change. Each field: the kind of value it takes, which picks the bad
values from BAD below. The suite sends every bad value for every field, one field at a time.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from offramp.access.roles import Role
from offramp.formbounds import TEXT_LIMIT


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> str:
    return (_today() + dt.timedelta(days=n)).isoformat()


MEGABYTE = "x" * 1_000_000
# kind -> bad values (a label for the test id, the value)
BAD = {
    "date": [
        ("before-1900", "1899-12-31"),
        ("year-1", "0001-01-01"),
        ("year-9999", "9999-12-31"),
        ("year-2100", "2100-01-01"),
        ("day-month-year", "31/12/2020"),
        ("february-30", "2026-02-30"),
        ("words", "yesterday"),
        ("nul", "2020-01-01\x00"),
        ("digits", "1" * 40),
        ("year-five-digits", "20260-01-01"),
    ],
    "past_date": [("tomorrow", "TOMORROW"), ("next-year", "NEXT_YEAR")],
    "datetime": [
        ("before-1900", "1899-12-31T10:00"),
        ("year-9999", "9999-12-31T23:59"),
        ("year-2100", "2100-01-01T10:00"),
        ("month-13", "2026-13-01T10:00"),
        ("hour-25", "2026-01-01T25:00"),
        ("words", "now"),
        ("nul", "2026-01-01T10:00\x00"),
        ("next-week", "NEXT_WEEK_T"),
    ],
    "int": [
        ("int64-overflow", "9223372036854775808"),
        ("twenty-digits", "99999999999999999999"),
        ("int32-overflow", "2147483648"),
        ("fraction", "1.5"),
        ("words", "ten"),
        ("exponent", "1e3"),
        ("nul", "1\x00"),
    ],
    "minutes": [("negative", "-5"), ("over-a-day", "1441")],
    "float": [
        ("overflow", "1e309"),
        ("nan", "nan"),
        ("infinity", "inf"),
        ("huge", "1e12"),
        ("words", "abc"),
        ("nul", "1\x00"),
    ],
    "text": [("nul", "a\x00b"), ("megabyte", MEGABYTE), ("over-limit", "y" * (TEXT_LIMIT + 1))],
    "short_text": [("nul", "a\x00b"), ("megabyte", MEGABYTE), ("one-too-long", "LIMIT+1")],
    "choice": [("unknown", "bogus"), ("nul", "\x00"), ("long", "z" * 1000)],
}


@dataclass(frozen=True)
class FormCase:
    name: str
    role: str
    url: str  # a URL name; "{case}" args use the world's own case
    method: str
    valid: dict
    context: str
    model: str  # "app.Model" whose rows must not change
    fields: dict = field(default_factory=dict)  # field -> kinds
    limits: dict = field(default_factory=dict)  # field -> max_length for "short_text"
    case_arg: bool = True


def contact_valid() -> dict:
    at = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(days=1)  # any zone: the past
    return {
        "kind": "in_person",
        "successful": "yes",
        "at": at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "15",
        "location": "The shelter on 3rd",
        "note": "Talked about housing.",
    }


FORMS = [
    FormCase(
        name="contact",
        role=Role.CASE_MANAGER,
        url="cases:contact_add",
        method="post",
        valid={},  # contact_valid(), built at test time
        context="contact_form",
        model="cases.Contact",
        fields={
            "at": ("datetime",),
            "duration_minutes": ("int", "minutes"),
            "location": ("short_text",),
            "note": ("text",),
            "kind": ("choice",),
        },
        limits={"location": 200},
    ),
    FormCase(
        name="snapshot",
        role=Role.CASE_MANAGER,
        url="cases:snapshot_add",
        method="post",
        valid={
            "reason": "monthly",
            "as_of": "TODAY",
            "living_situation": "LIVING",
            "employment": "not_engaged",
            "health_insurance": "medicaid",
        },
        context="form",
        model="cases.OutcomeSnapshot",
        fields={
            "as_of": ("date", "past_date"),
            "living_situation": ("choice",),
            "employment": ("choice",),
            "reason": ("choice",),
        },
    ),
    FormCase(
        name="consent",
        role=Role.CASE_MANAGER,
        url="access:consent_new",
        method="post",
        valid={
            "discloser": "The LEAD program",
            "categories": "participant_status",
            "recipient_class": "prosecutor",
            "recipient_name": "",
            "purpose": "Charging coordination",
            "revocation_terms": "In writing to the case manager.",
            "expires_on": "IN_A_YEAR",
            "expiry_event": "",
            "signed_by": "The participant",
            "signed_on": "TODAY",
        },
        context="form",
        model="access.Consent",
        fields={
            "signed_on": ("date", "past_date"),
            "expires_on": ("date",),
            "purpose": ("short_text",),
            "revocation_terms": ("short_text",),
            "signed_by": ("short_text",),
            "recipient_class": ("choice",),
            "categories": ("choice",),
        },
        limits={"purpose": 200, "revocation_terms": 2000, "signed_by": 200},
    ),
    FormCase(
        name="meeting",
        role=Role.PROJECT_MANAGER,
        url="workgroup:meeting_new",
        method="post",
        valid={"held_on": "TODAY"},
        context="form",
        model="workgroup.Meeting",
        fields={"held_on": ("date",)},
        case_arg=False,
    ),
    FormCase(
        name="lookup",
        role=Role.OFFICER,
        url="people:lookup",
        method="post",
        valid={"last_name": "Lopez", "first_name": "Ana", "date_of_birth": "1980-05-17"},
        context="form",
        model="",
        fields={
            "date_of_birth": ("date", "past_date"),
            "last_name": ("short_text",),
            "first_name": ("short_text",),
        },
        limits={"last_name": 50, "first_name": 50},
        case_arg=False,
    ),
    FormCase(
        name="directory-search",
        role=Role.CASE_MANAGER,
        url="directory:search",
        method="get",
        valid={"q": "food", "miles": "5"},
        context="form",
        model="",
        fields={
            "place": ("choice",),
            "miles": ("float",),
            "q": ("short_text",),
            "need": ("choice",),
        },
        limits={"q": 100},
        case_arg=False,
    ),
]


def resolve(value: str, limit: int | None = None) -> str:
    """Placeholders that depend on today's date or the field's own limit."""
    return {
        "TODAY": _days(-1),  # yesterday: already the past in every program's time zone
        "TOMORROW": _days(1),
        "NEXT_YEAR": _days(366),
        "IN_A_YEAR": _days(365),
        "NEXT_WEEK_T": f"{_days(7)}T10:00",
        "LIMIT+1": "w" * ((limit or 0) + 1),
    }.get(value, value)


def cases() -> list[tuple[FormCase, str, str, str]]:
    """(form, field, label, value) for every bad value of every field of every form."""
    out = []
    for form in FORMS:
        for name, kinds in form.fields.items():
            for kind in kinds:
                for label, value in BAD[kind]:
                    out.append((form, name, label, value))
    return out
