"""Synthetic people and events with a known effect of the program and known confounding.

The data-generating process (everything here is observed by the analysis, so the effect is
identified and the estimators have a truth to hit):

* covariates: age, sex, race/ethnicity, area, offence type; a latent arrest rate drives
  arrests in the 24 months before the index date.
* selection into LEAD: logistic in prior arrests (last 12 months), age, area and offence type,
  so LEAD people have more prior arrests than the comparison group (confounding).
* re-arrests after the index date: a Poisson process with daily rate
  ``lambda0 * exp(b . x) * rate_ratio ** treated``, log-linear in prior arrests (12 months), age,
  sex and offence type. So the hazard ratio and the incidence-rate ratio are both ``rate_ratio``
  (conditionally and, for the rate, marginally). By default ``rate_ratio`` is solved so that the
  marginal odds ratio of any re-arrest within 12 months among the LEAD group (the ATT odds ratio
  that matching and ATT weighting estimate) equals ``att_odds_ratio_12m``.
* each arrest (including the index arrest) may bring a booking, a felony or misdemeanour charge,
  a jail stay and, after a felony charge, a prison stay. LEAD index arrests are diverted: no
  booking, charge or jail stay. Everything that follows from the index arrest is flagged
  ``index_related`` (charges and prison come days after it, so the date rule alone would count
  them), which makes every arrest-driven outcome share the same known rate ratio.

Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.optimize import brentq

RACES = ("Black", "White", "Hispanic/Latino", "Asian", "Native American", "Other")
RACE_P = (0.38, 0.40, 0.09, 0.05, 0.04, 0.04)
AREAS = ("area_1", "area_2", "area_3", "area_4")
OFFENCES = ("drug_possession", "drug_delivery", "prostitution", "theft")
OFFENCE_P = (0.45, 0.25, 0.10, 0.20)

# Outcome model (log daily rate of arrest): intercept and effects.
BASE_RATE_PER_YEAR = 0.45
B_PRIOR12 = 0.16
B_AGE = -0.015
B_MALE = 0.25
B_OFFENCE = {"drug_possession": 0.0, "drug_delivery": 0.2, "prostitution": -0.1, "theft": 0.1}
# Selection model (log odds of LEAD).
S_PRIOR12 = 0.25
S_AGE = -0.03
S_AREA = {"area_1": 1.0, "area_2": 0.4, "area_3": -0.3, "area_4": -0.8}
S_OFFENCE = {"drug_possession": 0.3, "drug_delivery": -0.2, "prostitution": 0.5, "theft": -0.4}


@dataclass(frozen=True)
class Simulation:
    people: pl.DataFrame
    events: pl.DataFrame
    truth: dict[str, float]
    data_end: dt.date


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _odds(p: float) -> float:
    return p / (1.0 - p)


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _window_days(index_days: np.ndarray, months: int) -> np.ndarray:
    """Length in days of the calendar-month window the cohort builder uses."""
    s = pl.Series(index_days.astype("int32")).cast(pl.Date)
    return (s.dt.offset_by(f"{months}mo") - s).dt.total_days().to_numpy()


def simulate(
    *,
    n_people: int = 2000,
    seed: int = 0,
    att_odds_ratio_12m: float | None = 0.42,
    rate_ratio: float | None = None,
    treated_share: float = 0.3,
    confounding: float = 1.0,
    index_start: dt.date = dt.date(2010, 1, 1),
    index_end: dt.date = dt.date(2013, 6, 30),
    data_end: dt.date = dt.date(2014, 7, 31),
    moved_share: float = 0.03,
) -> Simulation:
    """Simulate a LEAD evaluation data set. Give ``att_odds_ratio_12m`` or ``rate_ratio``."""
    if (att_odds_ratio_12m is None) == (rate_ratio is None):
        raise ValueError("give exactly one of att_odds_ratio_12m and rate_ratio")
    rng = np.random.default_rng(seed)
    n = n_people
    pid = np.arange(1, n + 1)
    age = np.clip(np.round(rng.normal(38, 11, n)), 18, 75).astype(int)
    male = rng.random(n) < 0.7
    race = rng.choice(len(RACES), n, p=RACE_P)
    area = rng.integers(0, len(AREAS), n)
    offence = rng.choice(len(OFFENCES), n, p=OFFENCE_P)
    index = rng.integers(_days(index_start), _days(index_end) + 1, n)
    end_days = _days(data_end)

    # Prior arrests: a person-level latent rate over the 24 months before the index date.
    latent = rng.gamma(1.2, 2.0 / 1.2, n) / 365.25
    n_pre = rng.poisson(latent * 730)
    pre_owner = np.repeat(np.arange(n), n_pre)
    pre_dates = index[pre_owner] - rng.integers(1, 731, n_pre.sum())
    start12 = index + _window_days(index, -12)  # index date minus 12 calendar months
    prior12 = np.bincount(pre_owner, weights=pre_dates >= start12[pre_owner], minlength=n)

    off_name = np.array(OFFENCES)[offence]
    area_name = np.array(AREAS)[area]
    sel = (
        S_PRIOR12 * (prior12 - prior12.mean())
        + S_AGE * (age - 38)
        + np.vectorize(S_AREA.get)(area_name)
        + np.vectorize(S_OFFENCE.get)(off_name)
    ) * confounding
    a0 = brentq(lambda a: _expit(a + sel).mean() - treated_share, -20, 20)
    treated = rng.random(n) < _expit(a0 + sel)

    log_rate0 = (
        np.log(BASE_RATE_PER_YEAR / 365.25)
        + B_PRIOR12 * prior12
        + B_AGE * (age - 38)
        + B_MALE * male
        + np.vectorize(B_OFFENCE.get)(off_name)
    )
    rate0 = np.exp(log_rate0)
    d12 = _window_days(index, 12)
    t = treated

    def att_or(rr: float) -> float:
        p1 = np.mean(1 - np.exp(-rate0[t] * rr * d12[t]))
        p0 = np.mean(1 - np.exp(-rate0[t] * d12[t]))
        return _odds(p1) / _odds(p0)

    if rate_ratio is None:
        rate_ratio = float(
            np.exp(brentq(lambda b: np.log(att_or(np.exp(b))) - np.log(att_odds_ratio_12m), -8, 3))
        )
    rate = rate0 * np.where(treated, rate_ratio, 1.0)

    # Some people leave observation early (death, moving away): independent of everything else.
    moved = rng.random(n) < moved_share
    own_end = np.where(moved, index + rng.integers(30, 900, n), end_days)
    stop = np.minimum(own_end, end_days)
    follow = np.maximum(stop - index, 0)
    n_post = rng.poisson(rate * follow)
    post_owner = np.repeat(np.arange(n), n_post)
    post_dates = index[post_owner] + np.ceil(rng.random(n_post.sum()) * follow[post_owner]).astype(int)
    post_dates = np.maximum(post_dates, index[post_owner] + 1)

    # Index arrests are on the index date; diverted (LEAD) ones bring nothing else that day.
    arr_owner = np.concatenate([np.arange(n), pre_owner, post_owner])
    arr_date = np.concatenate([index, pre_dates, post_dates])
    diverted = np.concatenate([treated, np.zeros(n_pre.sum() + n_post.sum(), bool)])
    events = _consequences(rng, arr_owner, arr_date, diverted, n_index=n)
    ev = events.with_columns((pl.col("person_id") + 1).alias("person_id"))
    ev = ev.join(pl.DataFrame({"person_id": pid, "_stop": stop}), on="person_id")
    ev = ev.filter(pl.col("date") <= pl.col("_stop")).drop("_stop")
    ev = ev.with_columns(pl.col("date").cast(pl.Int32).cast(pl.Date)).sort("person_id", "date", "kind")

    people = pl.DataFrame(
        {
            "person_id": pid,
            "arm": np.where(treated, "lead", "comparison"),
            "index_date": pl.Series(index.astype("int32")).cast(pl.Date),
            "age": age,
            "sex": np.where(male, "male", "female"),
            "race_ethnicity": np.array(RACES)[race],
            "area": area_name,
            "offence_type": off_name,
            "followup_end": pl.Series(
                [int(d) if m else None for d, m in zip(own_end, moved, strict=True)], dtype=pl.Int32
            ).cast(pl.Date),
            "program_months": np.where(treated, np.minimum(rng.poisson(8, n) + 1, 12), 0),
        }
    )

    p1 = np.mean(1 - np.exp(-rate0[t] * rate_ratio * d12[t]))
    p0 = np.mean(1 - np.exp(-rate0[t] * d12[t]))
    truth = {
        "rate_ratio": rate_ratio,
        "hazard_ratio": rate_ratio,
        "att_odds_ratio_12m": float(_odds(p1) / _odds(p0)),
        "att_risk_treated_12m": float(p1),
        "att_risk_untreated_12m": float(p0),
        "n_treated": int(treated.sum()),
    }
    return Simulation(people=people, events=ev, truth=truth, data_end=data_end)


def _consequences(
    rng: np.random.Generator, owner: np.ndarray, date: np.ndarray, diverted: np.ndarray, n_index: int
) -> pl.DataFrame:
    """Arrests plus the bookings, charges, jail and prison stays they lead to; the first
    ``n_index`` arrests are index arrests."""
    m = owner.size
    from_index = np.arange(m) < n_index
    booked = (rng.random(m) < 0.85) & ~diverted
    felony = (rng.random(m) < 0.25) & ~diverted
    misdemeanor = ~felony & (rng.random(m) < 0.6) & ~diverted
    jail = booked & (rng.random(m) < 0.7)
    jail_days = 1 + rng.geometric(0.12, m)
    prison = felony & (rng.random(m) < 0.12)
    prison_days = rng.integers(180, 731, m)
    charge_lag = rng.integers(0, 15, m)
    everyone = np.ones(m, bool)
    parts = [
        (everyone, date, "arrest", None),
        (booked, date, "booking", None),
        (felony, date + charge_lag, "charge_felony", None),
        (misdemeanor, date + charge_lag, "charge_misdemeanor", None),
        (jail, date, "jail_stay", jail_days),
        (prison, date + 60 + charge_lag, "prison", prison_days),
    ]
    frames = [
        pl.DataFrame(
            {
                "person_id": owner[sel].astype(np.int64),
                "date": d[sel].astype(np.int64),
                "kind": pl.Series([k] * int(sel.sum()), dtype=pl.String),
                "days": pl.Series(days[sel] if days is not None else [None] * int(sel.sum()), dtype=pl.Int64),
                "index_related": from_index[sel],
            }
        )
        for sel, d, k, days in parts
    ]
    return pl.concat(frames)
