"""Reading tables into polars column-wise: one SQL query, fetched in large batches, no model instances.

Callers pass a queryset they built inside ``trusted()`` after scoping it; this only turns it into a
frame. Dates and datetimes come back as text on SQLite and as Python objects on PostgreSQL, so both
are normalised here.
"""

from __future__ import annotations

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connection

FETCH = 50_000


def frame_from(queryset, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """``columns``: field lookup -> polars type, in order; the frame's columns are named by lookup."""
    names = list(columns)
    try:
        sql, params = queryset.values_list(*names).query.sql_with_params()
    except EmptyResultSet:  # e.g. a filter on an empty list of ids
        return pl.DataFrame(schema=columns)
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            parts.append(pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None))
    if not parts:
        return pl.DataFrame(schema=columns)
    frame = pl.concat(parts, how="vertical_relaxed")
    return frame.with_columns([_cast(frame[n], t).alias(n) for n, t in columns.items()])


def _cast(series: pl.Series, dtype) -> pl.Series:
    if series.dtype == pl.Null:
        return series.cast(dtype)
    if dtype == pl.Date and series.dtype == pl.String:
        return series.str.slice(0, 10).str.to_date("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime) and series.dtype == pl.String:
        return series.str.slice(0, 19).str.to_datetime("%Y-%m-%d %H:%M:%S").dt.replace_time_zone("UTC")
    if isinstance(dtype, pl.Datetime):
        return series.dt.convert_time_zone("UTC")
    return series.cast(dtype)
