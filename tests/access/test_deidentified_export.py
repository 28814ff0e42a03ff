"""The evaluators' export holds Safe Harbor columns only: every column is inspected."""

import csv
import io
import re

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from offramp.access.deidentify import COLUMNS, SUPPRESSED, age_group, suppress_small_cells, table
from offramp.access.models import AuditEntry
from offramp.cases.models import ExitReason, Status
from offramp.programs.roles import Role
from offramp.referrals.models import Door

# Each column, and the rule every value in it must satisfy.
RULES = {
    "research_id": lambda v: re.fullmatch(r"[0-9a-f]{64}", v),
    "referral_year": lambda v: re.fullmatch(r"(19|20)\d\d", v),
    "door": lambda v: v in {d.value for d in Door} | {""},
    "offence_nibrs": lambda v: re.fullmatch(r"[0-9]{2}[A-Z]?|", v),
    "age_group": lambda v: (
        v == "unknown"
        or v == "90+"
        or re.fullmatch(r"(\d+)-(\d+)", v)
        and int(v.split("-")[0]) % 5 == 0
        and int(v.split("-")[0]) < 90
    ),
    "sex": lambda v: re.fullmatch(r"\d?", v),
    "race_ethnicity": lambda v: all(part.isidentifier() for part in v.split("+")) if v else True,
    "case_status": lambda v: v in {s.value for s in Status},
    "exit_reason": lambda v: v in {e.value for e in ExitReason} | {""},
    "intake_completed": lambda v: v in {"yes", "no"},
    "days_to_intake": lambda v: re.fullmatch(r"\d*", v),
    "contacts": lambda v: re.fullmatch(r"\d+", v),
    "successful_contacts": lambda v: re.fullmatch(r"\d+", v),
}


def _export(client, **params):
    response = client.get(reverse("access:deidentified_export"), params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_it_exports_only_safe_harbor_columns_and_checks_every_value(world, login, settings):
    settings.SMALL_CELL = 1  # the column rules, on values as recorded (k-anonymity: test_k_anonymity.py)
    rows = _export(login(world.users[Role.EVALUATOR]))
    assert rows and set(rows[0]) == set(RULES) == set(COLUMNS)
    identifiers = set()
    for case in (world.own_case, world.other_case):
        person = case.person
        # Record numbers are not exported at all (the columns are the allow-list); no value may be a
        # name, a date of birth or an incident number either.
        identifiers |= {
            person.legal_first_name,
            person.legal_last_name,
            person.date_of_birth.isoformat(),
            case.referral.incident_number,
        }
    for row in rows:
        for column, value in row.items():
            assert RULES[column](value), f"{column}={value!r} breaks its rule"
            assert value not in identifiers, f"{column} holds an identifier"
    assert {row["age_group"] for row in rows} >= {"45-49", "50-54"}


def test_it_gives_each_person_a_stable_keyed_research_id(world, login):
    client = login(world.users[Role.EVALUATOR])
    first, second = _export(client, ids="stable"), _export(client, ids="stable")  # as the evaluator asks
    assert [r["research_id"] for r in first] == [r["research_id"] for r in second]
    assert len({r["research_id"] for r in first}) == 2


def test_it_audits_the_export(world, login):
    _export(login(world.users[Role.PROJECT_MANAGER]))
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail["rows"] == 2 and entry.detail["columns"] == list(COLUMNS)


@given(st.integers(min_value=0, max_value=130))
def test_it_groups_ages_and_tops_them_at_90(age):
    group = age_group(age)
    if age >= 90:
        assert group == "90+"
    else:
        low, high = map(int, group.split("-"))
        assert low <= age <= high and high - low == 4 and low % 5 == 0


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=40), max_size=8))
def test_it_never_shows_a_small_cell_nor_lets_one_be_worked_out(counts):
    shown = suppress_small_cells(counts, k=11)
    assert set(shown) == set(counts)
    for key, value in shown.items():
        assert value == SUPPRESSED or value >= 11 or value == 0
        if 0 < counts[key] < 11:
            assert value == SUPPRESSED
    hidden = [key for key, value in shown.items() if value == SUPPRESSED]
    assert len(hidden) != 1 or len([v for v in counts.values() if v > 0]) == 1


def test_it_builds_frequency_tables_from_export_columns():
    rows = [{"door": "arrest"}] * 12 + [{"door": "community"}] * 3 + [{"door": "social_contact"}] * 20
    # "community" is small; "arrest" goes with it, or 35 - 20 - 12 would give it away.
    assert table(rows, "door", k=11) == {"arrest": SUPPRESSED, "community": SUPPRESSED, "social_contact": 20}
