import polars as pl
import pytest

from offramp.evaluation.simulate import simulate


def test_it_is_deterministic_per_seed():
    a, b = simulate(n_people=300, seed=4), simulate(n_people=300, seed=4)
    assert a.people.equals(b.people) and a.events.equals(b.events)
    assert not simulate(n_people=300, seed=5).events.equals(a.events)


def test_it_hits_the_requested_odds_ratio_or_rate_ratio():
    assert simulate(n_people=2000, seed=1, att_odds_ratio_12m=0.42).truth[
        "att_odds_ratio_12m"
    ] == pytest.approx(0.42)
    assert simulate(n_people=500, seed=1, att_odds_ratio_12m=None, rate_ratio=0.7).truth["rate_ratio"] == 0.7
    with pytest.raises(ValueError):
        simulate(n_people=10, seed=1, rate_ratio=0.5)


def test_it_selects_people_with_more_prior_arrests_into_lead(sim):
    prior = (
        sim.events.filter(pl.col("kind") == "arrest")
        .join(sim.people.select("person_id", "arm", "index_date"), on="person_id")
        .filter(pl.col("date") < pl.col("index_date"))
        .group_by("arm")
        .len()
    )
    counts = dict(zip(prior["arm"], prior["len"], strict=True))
    sizes = dict(zip(*sim.people.group_by("arm").len().to_dict(as_series=False).values(), strict=True))
    assert counts["lead"] / sizes["lead"] > 1.3 * counts["comparison"] / sizes["comparison"]


def test_it_diverts_the_lead_index_arrest():
    s = simulate(n_people=400, seed=2)
    same_day = s.events.join(s.people.select("person_id", "arm", "index_date"), on="person_id").filter(
        (pl.col("date") == pl.col("index_date")) & (pl.col("arm") == "lead") & pl.col("index_related")
    )
    assert set(same_day["kind"]) == {"arrest"}
