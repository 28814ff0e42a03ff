"""The de-identified export is k-anonymous on its quasi-identifiers at the program's small-cell threshold,
and each export has its own research IDs unless the evaluator asks for the stable ones."""

import csv
import datetime as dt
import io
from collections import Counter

from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from offramp.access.deidentify import QUASI_IDENTIFIERS, SUPPRESSED, k_anonymise
from offramp.access.models import AuditEntry
from offramp.programs.roles import Role
from tests.conftest import make_case


def row(age="40-44", race="white", nibrs="35A", year=2025, sex=1, door="arrest") -> dict:
    return {
        "research_id": "x",
        "referral_year": year,
        "door": door,
        "offence_nibrs": nibrs,
        "age_group": age,
        "sex": sex,
        "race_ethnicity": race,
        "case_status": "active",
    }


def classes(rows) -> Counter:
    return Counter(tuple(r[q] for q in QUASI_IDENTIFIERS) for r in rows if r["age_group"] != SUPPRESSED)


def test_it_leaves_rows_alone_when_every_group_is_large_enough():
    rows = [row() for _ in range(5)] + [row(age="45-49") for _ in range(5)]
    out, done = k_anonymise(rows, 5)
    assert out == rows and done == {"k": 5, "level": 0, "suppressed": 0}


def test_it_coarsens_ages_to_ten_years_before_suppressing():
    rows = [row(age="40-44") for _ in range(3)] + [row(age="45-49") for _ in range(3)]
    out, done = k_anonymise(rows, 5)
    assert {r["age_group"] for r in out} == {"40-49"} and done["level"] == 1 and done["suppressed"] == 0


def test_it_groups_offences_and_then_suppresses_the_few_left():
    rows = [row(nibrs="35A") for _ in range(3)] + [row(nibrs="35B") for _ in range(3)]
    rows += [row(age="90+", nibrs="13B")]  # one of a kind at every level
    out, done = k_anonymise(rows, 5)
    assert done["level"] == 2 and done["suppressed"] == 1
    assert [r["offence_nibrs"] for r in out[:6]] == ["35"] * 6
    assert out[6] == {**rows[6], **dict.fromkeys(QUASI_IDENTIFIERS, SUPPRESSED)}
    assert out[6]["case_status"] == "active"  # the row stays for the counts, without its identifiers


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["20-24", "25-29", "30-34", "35-39", "60-64", "90+", "unknown"]),
            st.sampled_from(["white", "black_af_american", "asian+white"]),
            st.sampled_from(["35A", "35B", "13B", "23H"]),
            st.sampled_from([2024, 2025]),
            st.sampled_from([1, 2]),
        ),
        max_size=80,
    ),
    st.integers(min_value=2, max_value=11),
)
def test_no_group_shown_is_smaller_than_k(values, k):
    rows = [row(age=a, race=r, nibrs=n, year=y, sex=s) for a, r, n, y, s in values]
    out, done = k_anonymise(rows, k)
    assert len(out) == len(rows)  # nobody drops out of the counts
    assert all(n >= k for n in classes(out).values())
    assert done["suppressed"] == sum(1 for r in out if r["age_group"] == SUPPRESSED)


def export(client, **params) -> list[dict]:
    response = client.get(reverse("access:deidentified_export"), params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_export_is_k_anonymous_at_the_programs_threshold(world, login, settings):
    settings.SMALL_CELL = 3
    for i in range(12):
        make_case(world.program, first=f"P{i}", last="Same", dob=dt.date(1980 + i % 2, 3, 1))
    rows = export(login(world.users[Role.EVALUATOR]))
    assert len(rows) == 14
    assert all(n >= 3 for n in classes(rows).values())
    entry = AuditEntry.objects.filter(action="export").first()
    assert entry.detail["k"] == 3 and entry.detail["stable_ids"] is False
    assert entry.detail["suppressed"] == sum(1 for r in rows if r["age_group"] == SUPPRESSED)


def test_each_export_has_its_own_research_ids_unless_asked(world, login):
    client = login(world.users[Role.EVALUATOR])
    first, second = export(client), export(client)
    assert not {r["research_id"] for r in first} & {r["research_id"] for r in second}
    assert len({r["research_id"] for r in first}) == 2
    stable = export(client, ids="stable")
    assert [r["research_id"] for r in stable] == [r["research_id"] for r in export(client, ids="stable")]
    assert AuditEntry.objects.filter(action="export").first().detail["stable_ids"] is True
