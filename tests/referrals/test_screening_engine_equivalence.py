"""Screening decides each distinct (statute, grams, substance, age) once: the same outcome as deciding each
arrest on its own with every fact the record has, for each example protocol."""

import datetime as dt
import random

import polars as pl
import pytest

from offramp.files.mapping import ColumnMapping
from offramp.referrals.eligibility import INELIGIBLE, Facts, age_on, decide
from offramp.referrals.protocol import SUBSTANCES, example
from offramp.referrals.screening import ARRESTS, read_arrests, screen


@pytest.mark.parametrize("name", ["seattle", "santa_fe", "san_francisco"])
def test_it_matches_the_engine_arrest_by_arrest(name):
    protocol = example(name)
    rng = random.Random(7)
    statutes = [o.statute for o in protocol.offences] + ["PC 245"]
    lines = ["n,statute,grams,substance,dob,day"]
    for i in range(400):
        grams = rng.choice(["", "0.5", "1", "2.9", "3", "3.5", "12"])
        dob = rng.choice(["", "2009-02-10", "1990-07-01", "1960-03-03"])
        substance = rng.choice(["", *SUBSTANCES])
        lines.append(f"{i},{rng.choice(statutes)},{grams},{substance},{dob},2026-03-0{rng.randint(1, 9)}")
    mapping = ColumnMapping(
        ARRESTS,
        columns={
            "incident_number": "n",
            "statute": "statute",
            "quantity_grams": "grams",
            "substance": "substance",
            "date_of_birth": "dob",
            "incident_date": "day",
        },
    )
    frame = screen(read_arrests("\n".join(lines).encode(), mapping), protocol)
    assert frame.height == 400
    for r in frame.iter_rows(named=True):
        facts = Facts(
            door="arrest",
            statute=r["statute"],
            quantity_grams=r["quantity_grams"],
            substance=r["substance"],
            date_of_birth=r["date_of_birth"],
            incident_date=r["incident_date"],
        )
        decision = decide(protocol, facts)
        assert r["outcome"] == decision.outcome
        assert r["eligible"] == (decision.outcome != INELIGIBLE)
        if r["date_of_birth"] is not None:
            assert r["age"] == age_on(r["date_of_birth"], r["incident_date"])
    assert frame["outcome"].n_unique() >= 2


def test_it_keeps_the_file_order_and_lines():
    mapping = ColumnMapping(ARRESTS, columns={"incident_number": "n", "statute": "s", "incident_date": "d"})
    data = b"n,s,d\n3,X,2026-01-01\n1,Y,2026-01-02\n2,X,2026-01-03\n"
    frame = screen(read_arrests(data, mapping), example("seattle"))
    assert frame.select("line", "incident_number").rows() == [(2, "3"), (3, "1"), (4, "2")]
    assert frame.schema["incident_date"] == pl.Date
    assert dt.date(2026, 1, 2) in frame["incident_date"].to_list()
