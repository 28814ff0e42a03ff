"""Build the analysis frame (one row per person) from a people table and an events table.

Windows, all in calendar months from the person's index date ``I`` (polars ``offset_by``,
so 12 months after 2020-01-31 ends on 2021-01-31 and 1 month after it on 2020-02-29):

* pre-period of N months: ``I - N months <= date < I``. The index date itself is excluded.
* outcome window of N months: ``I < date <= I + N months``. Events *on* the index date are never
  outcomes: the index event (the diversion, or the arrest booked as usual) happens that day, and
  same-day events (the booking and charge that go with the index arrest) belong to it.
* a person is followed until ``followup_end = min(data end, person's own end, e.g. death)``.
  If ``I + N months > followup_end`` the outcome for that window is missing (null): the person is
  censored for the window and is never counted as having no re-arrest.
* time to first event: days from ``I`` to the first event strictly after ``I`` and on or before
  ``followup_end`` (and the horizon, if the outcome has ``months``); otherwise censored at
  whichever of those comes first.
* events flagged ``index_related = true`` (optional column: the booking, charge, jail stay or
  prison sentence that came from the index arrest itself, even if dated later) are dropped from
  both covariates and outcomes. Without the column, only the date rule above applies.
* stay lengths (``jail_stay``, ``prison``): a stay starting on day d for n days covers d..d+n-1;
  only the part inside the window counts. Stays that began before the window are not counted in it,
  and a stay in a pre-period that runs past the index date counts only its days before that date.
* the index date, by ``[index] rule``: ``column`` reads it from the people table's ``column``;
  ``first_eligible_arrest`` is each person's first arrest on or after the date in ``column`` (the
  day they became eligible); ``referral_date`` reads the column for intervention arms (their
  referral) and takes the first eligible arrest for the comparison arm (the arrest booked as usual).
  People for whom the rule finds no date are left out of the study.

Everything is column-wise in polars: per kind of event, one lazy filter, join and group-by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from offramp.evaluation.study import DERIVED_COVARIATE, EVENT_KINDS, RECORD_KINDS, STAY_KINDS, Study

ERR_MISSING_COLUMNS = "{table} table is missing column(s): {columns}"
ERR_DUPLICATE_PEOPLE = "people table has {n} duplicate person_id value(s)"
ERR_NULL_INDEX = "people table has {n} row(s) with no index date"
ERR_UNKNOWN_KINDS = "events table has unknown kind(s): {kinds}; expected one of " + ", ".join(RECORD_KINDS)
ERR_UNKNOWN_ARMS = "people table has arm(s) not in the study: {arms}"
ERR_NO_DATA_END = "no data end date: set follow_up.data_end or pass data_end"
COST_KINDS = ("booking", "jail_stay", "prison", "charge_felony", "charge_misdemeanor")


class CohortError(ValueError):
    pass


def _derived(name: str) -> tuple[str | None, str, str]:
    """(any_ flag, event kind, months) of a derived covariate name (validated by the study)."""
    m = DERIVED_COVARIATE.match(name)
    if m is None:
        raise CohortError(f"not a derived covariate: {name!r}")
    flag, kind, months = m.groups()
    return flag, kind, months


def _as_date(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Date)


def _months(expr: pl.Expr, months: int) -> pl.Expr:
    return expr.dt.offset_by(f"{months}mo")


def _check(people: pl.DataFrame, events: pl.DataFrame, study: Study) -> None:
    needed = {"person_id", "arm", study.index.column}
    needed |= {c for c in study.covariates.all if not DERIVED_COVARIATE.match(c)}
    needed |= {o.column for o in study.outcomes if o.column}
    if study.follow_up.person_end_column:
        needed.add(study.follow_up.person_end_column)
    missing = sorted(needed - set(people.columns))
    if missing:
        raise CohortError(ERR_MISSING_COLUMNS.format(table="people", columns=", ".join(missing)))
    missing = sorted({"person_id", "date", "kind"} - set(events.columns))
    if missing:
        raise CohortError(ERR_MISSING_COLUMNS.format(table="events", columns=", ".join(missing)))
    dupes = people.height - people["person_id"].n_unique()
    if dupes:
        raise CohortError(ERR_DUPLICATE_PEOPLE.format(n=dupes))
    nulls = people[study.index.column].null_count()
    if nulls:
        raise CohortError(ERR_NULL_INDEX.format(n=nulls))
    unknown = sorted(set(events["kind"].unique().drop_nulls().to_list()) - set(RECORD_KINDS))
    if unknown:
        raise CohortError(ERR_UNKNOWN_KINDS.format(kinds=", ".join(map(str, unknown))))
    arms = sorted(set(people["arm"].unique().to_list()) - {a.name for a in study.arms})
    if arms:
        raise CohortError(ERR_UNKNOWN_ARMS.format(arms=", ".join(map(str, arms))))


def outcome_events(events: pl.DataFrame) -> pl.DataFrame:
    """The events a study counts: warrants and court cases (PENDING_KINDS) are for legal coordination,
    never an outcome, and never move the end of observation."""
    return events.filter(pl.col("kind").is_in(EVENT_KINDS))


def resolve_data_end(*, study: Study, events: pl.DataFrame, data_end: dt.date | None = None) -> dt.date:
    """The end of observation: the argument, else the study's, else the last event date."""
    if data_end is not None:
        return data_end
    if study.follow_up.data_end is not None:
        return study.follow_up.data_end
    if events.height:
        last: dt.date = events.select(_as_date("date").max()).item()
        return last
    raise CohortError(ERR_NO_DATA_END)


def age_group_labels(breaks: tuple[int, ...]) -> list[str]:
    labels = [f"under {breaks[0]}"]
    labels += [f"{a}-{b - 1}" for a, b in zip(breaks, breaks[1:], strict=False)]
    return labels + [f"{breaks[-1]}+"]


def _age_group(breaks: tuple[int, ...]) -> pl.Expr:
    labels = age_group_labels(breaks)
    expr: Any = pl.when(pl.col("age") < breaks[0]).then(pl.lit(labels[0]))
    for i, b in enumerate(breaks[1:], start=1):
        expr = expr.when(pl.col("age") < b).then(pl.lit(labels[i]))
    return expr.otherwise(pl.lit(labels[-1])).alias("age_group")  # type: ignore[no-any-return]


def _in_window(start: pl.Expr, end: pl.Expr, *, after_index: bool) -> pl.Expr:
    """Events (of one kind: the caller has filtered) in the window."""
    date = pl.col("date")
    if after_index:
        # Outcomes: strictly after the index date, never after the end of follow-up.
        return (date > start) & (date <= end) & (date <= pl.col("followup_end"))
    return (date >= start) & (date < end)


def _amount(kind: str, cond: pl.Expr, window_end: pl.Expr, *, end_inclusive: bool = True) -> pl.Expr:
    """Events counted as 1 each; stays counted in days, clipped at the window's last day (for a
    pre-period, the day before the index date)."""
    if kind in STAY_KINDS:
        last = (window_end - pl.col("date")).dt.total_days() + (1 if end_inclusive else 0)
        days = pl.min_horizontal(pl.col("days").fill_null(0), last)
        return pl.when(cond).then(days).otherwise(0).sum()
    return cond.cast(pl.Int64).sum()


def _with_index_date(study: Study, people: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """People with their ``index_date`` set by the study's rule (see the module docstring)."""
    given = _as_date(study.index.column)
    if study.index.rule == "column":
        return people.with_columns(given.alias("index_date"))
    first = (
        events.lazy()
        .filter(pl.col("kind") == "arrest")
        .select("person_id", _as_date("date").alias("_arrest"))
        .join(people.lazy().select("person_id", given.alias("_from")), on="person_id")
        .filter(pl.col("_arrest") >= pl.col("_from"))
        .group_by("person_id")
        .agg(pl.col("_arrest").min().alias("_first_arrest"))
        .collect()
    )
    out = people.join(first, on="person_id", how="left")
    if study.index.rule == "first_eligible_arrest":
        index = pl.col("_first_arrest")
    else:  # referral_date
        comparison = pl.col("arm") == study.comparison.name
        index = pl.when(comparison).then(pl.col("_first_arrest")).otherwise(given)
    return out.with_columns(index.alias("index_date")).drop("_first_arrest").drop_nulls("index_date")


def build_analysis_frame(
    *, study: Study, people: pl.DataFrame, events: pl.DataFrame, data_end: dt.date | None = None
) -> pl.DataFrame:
    """One row per person: ids, arm, covariates, outcomes (null when censored), cost components.

    Output columns beyond the people table: ``index_date``, ``followup_end``, ``full_lookback``,
    each derived covariate, each outcome (``<name>`` or ``<name>_time`` and ``<name>_event``),
    ``age_group`` when age is present, and ``pre_<kind>`` / ``post_<kind>`` for the cost window.
    """
    _check(people, events, study)
    events = outcome_events(events)
    end = resolve_data_end(study=study, events=events, data_end=data_end)
    person_end = study.follow_up.person_end_column
    followup_end = pl.lit(end, dtype=pl.Date)
    if person_end:
        followup_end = pl.min_horizontal(followup_end, _as_date(person_end).fill_null(end))
    # Sorted by person while the frame is narrow: every join below keeps this order.
    frame = (
        _with_index_date(study, people, events)
        .sort("person_id")
        .with_columns(followup_end.alias("followup_end"))
    )
    if "age" in frame.columns:
        frame = frame.with_columns(_age_group(study.analysis.age_groups))

    # One kind of event at a time, lazily, with only the columns that kind needs: the events table
    # can be tens of millions of rows, and joining all of it to the index dates at once (with every
    # window's conditions) needs several copies of it in memory.
    has_days = "days" in events.columns
    dropped = pl.col("index_related").fill_null(False) if "index_related" in events.columns else pl.lit(False)
    index = pl.col("index_date")
    aggs: dict[str, list[pl.Expr]] = {}
    order: list[str] = []
    zero_fill: list[str] = []

    bounds: set[int] = set()

    def bound(months: int) -> pl.Expr:
        # Each window's edge is computed once per person and joined to the events: calendar
        # arithmetic on tens of millions of event rows, once per window, took most of the time.
        bounds.add(months)
        return pl.col(f"_bound_{months}")

    def add(kind: str, expr: pl.Expr, name: str, *, fill: bool = True) -> None:
        aggs.setdefault(kind, []).append(expr.alias(name))
        order.append(name)
        if fill:
            zero_fill.append(name)

    for name in study.covariates.derived:
        flag, kind, months = _derived(name)
        cond = _in_window(bound(-int(months)), index, after_index=False)
        value = _amount(kind, cond, index, end_inclusive=False)
        add(kind, (value > 0).cast(pl.Int64) if flag else value, name)

    censor: dict[str, pl.Expr] = {}
    for o in study.outcomes:
        if o.measure == "mean":
            continue  # read from the people table below
        if o.measure == "time_to_first":
            horizon = bound(o.months) if o.months else pl.lit(None, dtype=pl.Date)
            cond = _in_window(index, pl.coalesce(horizon, pl.col("followup_end")), after_index=True)
            add(o.event, pl.col("date").filter(cond).min(), f"_{o.name}_first", fill=False)
            continue
        window_end = bound(o.months or 0)
        value = _amount(o.event, _in_window(index, window_end, after_index=True), window_end)
        add(o.event, (value > 0).cast(pl.Int64) if o.measure == "any" else value, o.name)
        censor[o.name] = window_end > pl.col("followup_end")

    w = study.costs.window_months
    w_end = bound(w)
    for kind in COST_KINDS:
        pre = _in_window(bound(-w), index, after_index=False)
        add(kind, _amount(kind, pre, index, end_inclusive=False), f"pre_{kind}")
        add(kind, _amount(kind, _in_window(index, w_end, after_index=True), w_end), f"post_{kind}")
        censor[f"post_{kind}"] = w_end > pl.col("followup_end")

    bound_columns = [f"_bound_{m}" for m in sorted(bounds)]
    frame = frame.with_columns(_months(index, m).alias(f"_bound_{m}") for m in sorted(bounds))
    dates = frame.lazy().select("person_id", "index_date", "followup_end", *bound_columns)
    out = frame
    for kind, exprs in aggs.items():
        columns = [pl.col("person_id"), _as_date("date").alias("date")]
        if kind in STAY_KINDS:
            columns.append((pl.col("days") if has_days else pl.lit(None)).cast(pl.Int64).alias("days"))
        per_person = (
            events.lazy()
            .filter((pl.col("kind") == kind) & ~dropped)
            .select(columns)
            .join(dates, on="person_id", how="inner")
            .group_by("person_id")
            .agg(exprs)
            .collect(engine="streaming")
        )
        out = out.join(per_person, on="person_id", how="left", maintain_order="left")
    out = out.select(*frame.columns, *order).with_columns([pl.col(c).fill_null(0) for c in zero_fill])
    # Censoring: no full window of follow-up means the outcome is unknown, not "no event".
    out = out.with_columns(
        [pl.when(cond).then(None).otherwise(pl.col(c)).alias(c) for c, cond in censor.items()]
    ).drop(bound_columns)

    for o in study.outcomes:
        if o.measure != "time_to_first":
            continue
        first = pl.col(f"_{o.name}_first")
        stop = pl.col("followup_end")
        if o.months:
            stop = pl.min_horizontal(stop, _months(index, o.months))
        known = stop > index  # nobody is at risk for zero days
        out = out.with_columns(
            pl.when(~known)
            .then(None)
            .when(first.is_not_null())
            .then((first - index).dt.total_days())
            .otherwise((stop - index).dt.total_days())
            .alias(f"{o.name}_time"),
            pl.when(~known).then(None).otherwise(first.is_not_null().cast(pl.Int64)).alias(f"{o.name}_event"),
        ).drop(f"_{o.name}_first")

    means = [pl.col(o.column).cast(pl.Float64).alias(o.name) for o in study.outcomes if o.column]
    if means:
        out = out.with_columns(means)

    lookback = max([int(_derived(c)[2]) for c in study.covariates.derived] + [w])
    start = study.covariates.data_start
    full = _months(index, -lookback) >= pl.lit(start, dtype=pl.Date) if start else pl.lit(True)
    return out.with_columns(full.alias("full_lookback"))
