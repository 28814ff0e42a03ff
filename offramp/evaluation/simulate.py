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

* a third arm (``drug_court_share > 0``): drug court, chosen by a second selection model (older
  people, felony-prone offences such as drug delivery, fewer prior arrests) and with its own rate
  ratio ``drug_court_rate_ratio``. Its index arrest is booked and charged as usual.
* marginal truths: the hazard ratio of a Cox model without covariates, and the ratio of first-event
  rates per day at risk, are not the conditional rate ratio (they are non-collapsible) and depend
  on who is compared and for how long. ``truth`` therefore also holds them, computed by simulation:
  every person of the target population gets a first re-arrest time under each arm (same
  covariates, same follow-up), and the ratio is estimated on those potential outcomes. Keys:
  ``marginal_hazard_ratio_att`` / ``_ate`` (LEAD vs comparison), ``marginal_rate_ratio_att``,
  and, with three arms, ``pairs``: for every pair and estimand, the odds ratio at 12 months, the
  marginal hazard ratio and the rate ratio. :func:`marginal_truth` does the same on a large
  population, for the coverage study.

Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy.optimize import brentq, fsolve

from offramp.evaluation.cox import cox_fit

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
# Selection into drug court (log odds against booking as usual).
D_PRIOR12 = -0.10
D_AGE = 0.03
D_OFFENCE = {"drug_possession": 0.4, "drug_delivery": 0.8, "prostitution": -0.6, "theft": -0.5}
ARMS3 = ("comparison", "lead", "drug_court")
PAIRS = (("lead", "comparison"), ("drug_court", "comparison"), ("drug_court", "lead"))


@dataclass(frozen=True)
class Simulation:
    people: pl.DataFrame
    events: pl.DataFrame
    truth: dict[str, float]  # plus, with three arms, 'pairs' and 'arm_rate_ratio' (dicts)
    data_end: dt.date


def _expit(x: NDArray[Any]) -> NDArray[Any]:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=float)


def _odds(p: float) -> float:
    return p / (1.0 - p)


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _window_days(index_days: NDArray[Any], months: int) -> NDArray[Any]:
    """Length in days of the calendar-month window the cohort builder uses."""
    s = pl.Series(index_days.astype("int32")).cast(pl.Date)
    return (s.dt.offset_by(f"{months}mo") - s).dt.total_days().to_numpy()


@dataclass(frozen=True)
class _Population:
    """People before any event: covariates, arm, rates, follow-up (shared by simulate and marginal_truth)."""

    age: NDArray[Any]
    male: NDArray[Any]
    race: NDArray[Any]
    area_name: NDArray[Any]
    off_name: NDArray[Any]
    index: NDArray[Any]
    arm: NDArray[Any]  # index into ARMS3
    rate0: NDArray[Any]  # daily arrest rate under booking as usual
    d12: NDArray[Any]
    follow: NDArray[Any]  # days from the index date to the end of follow-up
    own_end: NDArray[Any]
    moved: NDArray[Any]
    pre_owner: NDArray[Any]
    pre_dates: NDArray[Any]


def _population(
    rng: np.random.Generator,
    n: int,
    *,
    treated_share: float,
    drug_court_share: float,
    confounding: float,
    index_start: dt.date,
    index_end: dt.date,
    data_end: dt.date,
    moved_share: float,
) -> _Population:
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
    u = rng.random(n)
    if drug_court_share > 0:
        sel_dc = (
            D_PRIOR12 * (prior12 - prior12.mean())
            + D_AGE * (age - 38)
            + np.vectorize(D_OFFENCE.get)(off_name)
        ) * confounding

        def shares(a: NDArray[Any]) -> NDArray[Any]:
            e1, e2 = np.exp(a[0] + sel), np.exp(a[1] + sel_dc)
            tot = 1 + e1 + e2
            return np.array([np.mean(e1 / tot) - treated_share, np.mean(e2 / tot) - drug_court_share])

        a1, a2 = fsolve(shares, np.zeros(2))
        e1, e2 = np.exp(a1 + sel), np.exp(a2 + sel_dc)
        p_lead, p_dc = e1 / (1 + e1 + e2), e2 / (1 + e1 + e2)
        arm = np.where(u < p_lead, 1, np.where(u < p_lead + p_dc, 2, 0))
    else:
        a0 = brentq(lambda a: _expit(a + sel).mean() - treated_share, -20, 20)
        arm = np.where(u < _expit(a0 + sel), 1, 0)

    log_rate0 = (
        np.log(BASE_RATE_PER_YEAR / 365.25)
        + B_PRIOR12 * prior12
        + B_AGE * (age - 38)
        + B_MALE * male
        + np.vectorize(B_OFFENCE.get)(off_name)
    )
    # Some people leave observation early (death, moving away): independent of everything else.
    moved = rng.random(n) < moved_share
    own_end = np.where(moved, index + rng.integers(30, 900, n), end_days)
    follow = np.maximum(np.minimum(own_end, end_days) - index, 0)
    return _Population(
        age,
        male,
        race,
        area_name,
        off_name,
        index,
        arm,
        np.exp(log_rate0),
        _window_days(index, 12),
        follow,
        own_end,
        moved,
        pre_owner,
        pre_dates,
    )


def _solve_rate_ratio(pop: _Population, att_odds_ratio_12m: float) -> float:
    t = pop.arm == 1

    def att_or(rr: float) -> float:
        p1 = np.mean(1 - np.exp(-pop.rate0[t] * rr * pop.d12[t]))
        p0 = np.mean(1 - np.exp(-pop.rate0[t] * pop.d12[t]))
        return _odds(p1) / _odds(p0)

    return float(np.exp(brentq(lambda b: np.log(att_or(np.exp(b))) - np.log(att_odds_ratio_12m), -8, 3)))


def _first_event_ratios(
    rng: np.random.Generator, rate0: NDArray[Any], follow: NDArray[Any], rr_a: float, rr_b: float, draws: int
) -> tuple[float, float]:
    """Marginal hazard ratio (Cox, no covariates) and first-event rate ratio, arm a against arm b,
    from potential first re-arrest times of the same people under each arm."""
    rate0 = np.repeat(rate0, draws)
    follow = np.repeat(follow, draws).astype(float)
    keep = follow > 0
    rate0, follow = rate0[keep], follow[keep]
    times, events = [], []
    for rr in (rr_a, rr_b):
        # Arrest days are whole days after the index date, as in the events table.
        t = np.ceil(rng.exponential(1 / (rate0 * rr)))
        times.append(np.minimum(t, follow))
        events.append((t <= follow).astype(float))
    x = np.r_[np.ones(rate0.size), np.zeros(rate0.size)]
    fit = cox_fit(time=np.concatenate(times), event=np.concatenate(events), x=x[:, None])
    rates = [e.sum() / t.sum() for e, t in zip(events, times, strict=True)]
    return float(np.exp(fit.params[0])), float(rates[0] / rates[1])


def _truths(
    rng: np.random.Generator, pop: _Population, rr: dict[str, float], draws: int, three_arms: bool
) -> dict[str, object]:
    names = ARMS3
    out: dict[str, object] = {}
    t = pop.arm == 1
    hr, rate = _first_event_ratios(rng, pop.rate0[t], pop.follow[t], rr["lead"], 1.0, draws)
    out["marginal_hazard_ratio_att"], out["marginal_rate_ratio_att"] = hr, rate
    out["marginal_hazard_ratio_ate"], _ = _first_event_ratios(
        rng, pop.rate0, pop.follow, rr["lead"], 1.0, draws
    )
    if three_arms:
        pairs: dict[str, dict[str, float]] = {}
        for a, b in PAIRS:
            for estimand, target in (("ate", np.ones(pop.arm.size, bool)), ("att", t)):
                r0, d12, f = pop.rate0[target], pop.d12[target], pop.follow[target]
                pa = np.mean(1 - np.exp(-r0 * rr[a] * d12))
                pb = np.mean(1 - np.exp(-r0 * rr[b] * d12))
                m_hr, m_rate = _first_event_ratios(rng, r0, f, rr[a], rr[b], draws)
                pairs[f"{a}_vs_{b}_{estimand}"] = {
                    "odds_ratio_12m": float(_odds(pa) / _odds(pb)),
                    "rate_ratio": rr[a] / rr[b],
                    "hazard_ratio": m_hr,
                    "first_event_rate_ratio": m_rate,
                }
        out["pairs"] = pairs
        out["arm_rate_ratio"] = {names[i]: rr[names[i]] for i in range(3)}
    return out


def marginal_truth(
    *, n_people: int = 1_000_000, seed: int = 99, draws: int = 1, **params: object
) -> dict[str, object]:
    """The simulator's marginal truths on a large population (see the module docstring)."""
    sim_params = {k: v for k, v in params.items() if k in _POP_KEYS}
    sim_params = {**_POP_DEFAULTS, **sim_params}
    rng = np.random.default_rng(seed)
    pop = _population(rng, n_people, **sim_params)  # type: ignore[arg-type]
    rr = _rate_ratios(pop, params)
    out = _truths(rng, pop, rr, draws, three_arms=float(sim_params["drug_court_share"]) > 0)  # type: ignore[arg-type]
    t = pop.arm == 1
    p1 = np.mean(1 - np.exp(-pop.rate0[t] * rr["lead"] * pop.d12[t]))
    p0 = np.mean(1 - np.exp(-pop.rate0[t] * pop.d12[t]))
    return out | {"rate_ratio": rr["lead"], "att_odds_ratio_12m": float(_odds(p1) / _odds(p0))}


_POP_DEFAULTS: dict[str, object] = {
    "treated_share": 0.3,
    "drug_court_share": 0.0,
    "confounding": 1.0,
    "index_start": dt.date(2010, 1, 1),
    "index_end": dt.date(2013, 6, 30),
    "data_end": dt.date(2014, 7, 31),
    "moved_share": 0.03,
}
_POP_KEYS = tuple(_POP_DEFAULTS)


def _rate_ratios(pop: _Population, params: dict[str, object]) -> dict[str, float]:
    rate_ratio = params.get("rate_ratio")
    target = params.get("att_odds_ratio_12m", 0.42 if rate_ratio is None else None)
    if rate_ratio is None:
        rate_ratio = _solve_rate_ratio(pop, float(target))  # type: ignore[arg-type]
    return {
        "comparison": 1.0,
        "lead": float(rate_ratio),  # type: ignore[arg-type]
        "drug_court": float(params.get("drug_court_rate_ratio", 0.75)),  # type: ignore[arg-type]
    }


def simulate(
    *,
    n_people: int = 2000,
    seed: int = 0,
    att_odds_ratio_12m: float | None = 0.42,
    rate_ratio: float | None = None,
    treated_share: float = 0.3,
    drug_court_share: float = 0.0,
    drug_court_rate_ratio: float = 0.75,
    confounding: float = 1.0,
    index_start: dt.date = dt.date(2010, 1, 1),
    index_end: dt.date = dt.date(2013, 6, 30),
    data_end: dt.date = dt.date(2014, 7, 31),
    moved_share: float = 0.03,
    truth_draws: int = 20,
) -> Simulation:
    """Simulate a LEAD evaluation data set. Give ``att_odds_ratio_12m`` or ``rate_ratio``.

    ``truth_draws`` potential outcomes per person make the marginal truths of this sample.
    """
    if (att_odds_ratio_12m is None) == (rate_ratio is None):
        raise ValueError("give exactly one of att_odds_ratio_12m and rate_ratio")
    rng = np.random.default_rng(seed)
    n = n_people
    pid = np.arange(1, n + 1)
    pop = _population(
        rng,
        n,
        treated_share=treated_share,
        drug_court_share=drug_court_share,
        confounding=confounding,
        index_start=index_start,
        index_end=index_end,
        data_end=data_end,
        moved_share=moved_share,
    )
    rr = _rate_ratios(
        pop,
        {
            "att_odds_ratio_12m": att_odds_ratio_12m,
            "rate_ratio": rate_ratio,
            "drug_court_rate_ratio": drug_court_rate_ratio,
        },
    )
    rate = pop.rate0 * np.choose(pop.arm, [rr["comparison"], rr["lead"], rr["drug_court"]])
    index, follow = pop.index, pop.follow
    n_post = rng.poisson(rate * follow)
    post_owner = np.repeat(np.arange(n), n_post)
    post_dates = index[post_owner] + np.ceil(rng.random(n_post.sum()) * follow[post_owner]).astype(int)
    post_dates = np.maximum(post_dates, index[post_owner] + 1)

    # Index arrests are on the index date; diverted (LEAD) ones bring nothing else that day.
    treated = pop.arm == 1
    n_pre = pop.pre_owner.size
    arr_owner = np.concatenate([np.arange(n), pop.pre_owner, post_owner])
    arr_date = np.concatenate([index, pop.pre_dates, post_dates])
    diverted = np.concatenate([treated, np.zeros(n_pre + post_owner.size, bool)])
    events = _consequences(rng, arr_owner, arr_date, diverted, n_index=n)
    stop = np.minimum(pop.own_end, _days(data_end))
    ev = events.with_columns((pl.col("person_id") + 1).alias("person_id"))
    ev = ev.join(pl.DataFrame({"person_id": pid, "_stop": stop}), on="person_id")
    ev = ev.filter(pl.col("date") <= pl.col("_stop")).drop("_stop")
    ev = ev.with_columns(pl.col("date").cast(pl.Int32).cast(pl.Date)).sort("person_id", "date", "kind")

    people = pl.DataFrame(
        {
            "person_id": pid,
            "arm": np.array(ARMS3)[pop.arm],
            "index_date": pl.Series(index.astype("int32")).cast(pl.Date),
            "age": pop.age,
            "sex": np.where(pop.male, "male", "female"),
            "race_ethnicity": np.array(RACES)[pop.race],
            "area": pop.area_name,
            "offence_type": pop.off_name,
            "followup_end": pl.Series(
                [int(d) if m else None for d, m in zip(pop.own_end, pop.moved, strict=True)], dtype=pl.Int32
            ).cast(pl.Date),
            "program_months": np.where(pop.arm > 0, np.minimum(rng.poisson(8, n) + 1, 12), 0),
        }
    )

    t = treated
    p1 = np.mean(1 - np.exp(-pop.rate0[t] * rr["lead"] * pop.d12[t]))
    p0 = np.mean(1 - np.exp(-pop.rate0[t] * pop.d12[t]))
    truth: dict[str, object] = {
        "rate_ratio": rr["lead"],
        # The conditional hazard ratio: what a Cox model with the right covariates estimates.
        "hazard_ratio": rr["lead"],
        "att_odds_ratio_12m": float(_odds(p1) / _odds(p0)),
        "att_risk_treated_12m": float(p1),
        "att_risk_untreated_12m": float(p0),
        "n_treated": int(t.sum()),
    }
    truth |= _truths(np.random.default_rng(seed + 1), pop, rr, truth_draws, three_arms=drug_court_share > 0)
    return Simulation(people=people, events=ev, truth=truth, data_end=data_end)  # type: ignore[arg-type]


def _consequences(
    rng: np.random.Generator, owner: NDArray[Any], date: NDArray[Any], diverted: NDArray[Any], n_index: int
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
