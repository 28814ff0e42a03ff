"""Batch screening compiles a protocol once and streams decisions."""

import datetime as dt
import itertools

from offramp.referrals.eligibility import ELIGIBLE, INELIGIBLE, Facts, compile_protocol, decide, decide_many
from offramp.referrals.protocol import example

FLAGS = {"amenable": True, "exploits_minors": False, "promotes_prostitution": False}


def rows(n: int):
    for i in range(n):
        yield Facts(
            door="arrest",
            statute="RCW 69.50.4013",
            quantity_grams=(i % 60) / 10,
            age=30,
            incident_date=dt.date(2024, 1, 1),
            history=(),
            flags=FLAGS,
        )


def test_it_compiles_a_protocol_once_and_reuses_it():
    p = example("seattle")
    assert compile_protocol(p) is compile_protocol(p)
    assert compile_protocol(p) is compile_protocol(example("seattle"))  # equal protocols share it


def test_it_streams_decisions_lazily():
    decisions = decide_many(example("seattle"), rows(10**9))  # would never finish if eager
    first = list(itertools.islice(decisions, 3))
    assert [d.outcome for d in first] == [ELIGIBLE] * 3


def test_it_screens_many_rows_like_one_at_a_time():
    p = example("seattle")
    batch = list(decide_many(p, rows(600)))
    assert batch == [decide(p, f) for f in rows(600)]
    # 0.0-2.9 g are under the 3 g limit; 3.0-5.9 g are not.
    assert sum(d.outcome == ELIGIBLE for d in batch) == sum(d.outcome == INELIGIBLE for d in batch) == 300


def test_it_shares_reason_objects_between_rows_to_stay_fast():
    p = example("seattle")
    a, b = decide_many(p, rows(2))
    assert a.reasons[0] is b.reasons[0]
