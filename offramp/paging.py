"""Keyset paging: "next" and "previous" by a cursor of the boundary row, never OFFSET.

A list orders by its sort key and then by id, so every row has one place. A page is the
`size` rows after (or before) the boundary row; the database finds them through the index
that matches the order instead of reading and skipping every earlier row, so the last
page costs what the first does.

The cursor names only the boundary row's id (and the direction), signed so a changed one
is refused; the sort values are read back from that row inside the same filtered, scoped
queryset. No sort value (a name, a date) goes into a URL. A boundary row that has since
left the list (or a bad cursor) starts the list again from the top.

Counts stay cheap: up to `COUNT_CAP` rows are counted (`LIMIT cap+1` in a subquery), and
past that the page says "more than 1,000" rather than counting the whole program.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy

COUNT_CAP = 1000
_NEXT = "n"
_PREV = "p"
_LAST = "l"


@dataclass(frozen=True)
class Sort:
    """One column of a list's order. `nulls_first` is None for a column that is never NULL (no
    NULLS clause, so an ordinary index serves it); True or False says where NULLs go, the same on
    SQLite and PostgreSQL."""

    field: str
    descending: bool = False
    nulls_first: bool | None = None

    def reversed(self) -> "Sort":
        nulls = None if self.nulls_first is None else not self.nulls_first
        return Sort(self.field, not self.descending, nulls)

    def expression(self) -> OrderBy:
        kwargs: dict[str, bool] = {}
        if self.nulls_first is True:
            kwargs["nulls_first"] = True
        elif self.nulls_first is False:
            kwargs["nulls_last"] = True
        column = F(self.field)
        return column.desc(**kwargs) if self.descending else column.asc(**kwargs)


def order_by(order: Sequence[Sort]) -> list[OrderBy]:
    """The ORDER BY for a list: its sorts, with their NULL placement stated."""
    return [sort.expression() for sort in order]


class NullsFirstIndex(models.Index):
    """An index whose columns carry the list's NULL placement (`F("x").asc(nulls_first=True)`), so
    PostgreSQL walks it in the list's order. SQLite refuses NULLS in CREATE INDEX, and needs none:
    its NULLs come first in ascending order already, so there the clause is left out."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        ]
        return models.Index(*plain, name=self.name).create_sql(model, schema_editor, using=using, **kwargs)


@dataclass(frozen=True)
class Count:
    value: int
    capped: bool  # more rows than `value` exist; they were not counted

    def __str__(self) -> str:
        return f"More than {self.value:,}" if self.capped else f"{self.value:,}"


@dataclass
class KeysetPage:
    rows: list
    count: Count
    next_cursor: str = ""
    previous_cursor: str = ""
    first: bool = True  # this is the list's first page (no "previous")
    last_cursor: str = field(default="")

    @property
    def object_list(self) -> list:
        return self.rows

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def capped_count(rows: QuerySet, cap: int = COUNT_CAP) -> Count:
    """How many rows, counting no further than `cap` (one subquery with LIMIT cap+1)."""
    n = rows.order_by()[: cap + 1].count()
    return Count(min(n, cap), n > cap)


def cursor_for(salt: str, direction: str, pk: Any) -> str:
    return signing.dumps([direction, pk], salt=f"offramp.paging.{salt}", compress=False)


def _cursor_read(salt: str, cursor: str) -> tuple[str, Any] | None:
    if not cursor:
        return None
    try:
        direction, pk = signing.loads(cursor, salt=f"offramp.paging.{salt}")
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if direction not in (_NEXT, _PREV, _LAST):
        return None
    return direction, pk


def _after(order: Sequence[Sort], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order` (the last sort must be unique: the id).

    The expansion (a > x) OR (a = x AND b > y) OR ..., with NULLs placed as each sort says,
    and a leading "at or after" bound on the first column so the index range starts there.
    """
    expanded = Q(pk__in=[])  # nothing
    equal = Q()
    for sort, value in zip(order, values, strict=True):
        expanded |= equal & _beyond(sort, value)
        equal &= Q(**{f"{sort.field}__isnull": True}) if value is None else Q(**{sort.field: value})
    return _at_or_after(order[0], values[0]) & expanded


def _beyond(sort: Sort, value: Any) -> Q:
    """Rows whose `sort` column comes strictly after `value`."""
    name = sort.field
    null = Q(**{f"{name}__isnull": True})
    if value is None:
        return ~null if sort.nulls_first else Q(pk__in=[])
    beyond = Q(**{f"{name}__{'lt' if sort.descending else 'gt'}": value})
    return beyond | null if sort.nulls_first is False else beyond


def _at_or_after(sort: Sort, value: Any) -> Q:
    name = sort.field
    if value is None:
        return Q() if sort.nulls_first else Q(**{f"{name}__isnull": True})
    bound = Q(**{f"{name}__{'lte' if sort.descending else 'gte'}": value})
    return bound | Q(**{f"{name}__isnull": True}) if sort.nulls_first is False else bound


def keyset_page(
    rows: QuerySet,
    order: Sequence[Sort],
    *,
    cursor: str,
    size: int,
    salt: str,
    cap: int = COUNT_CAP,
) -> KeysetPage:
    """One page of `rows` (filtered and scoped already) in `order`, which ends with a unique column
    (the id), so each row has one place.

    The cursor comes from a previous page's `next_cursor`, `previous_cursor` or `last_cursor`;
    empty (or not valid) is the first page. Three queries: the boundary row's sort values, the
    page (one row more than `size`, to know whether more follow) and the capped count.
    """
    asked = _cursor_read(salt, cursor)
    direction = asked[0] if asked else _NEXT
    forwards = direction == _NEXT
    walk = list(order) if forwards else [sort.reversed() for sort in order]
    page = rows
    boundary = None
    if asked and direction != _LAST:
        boundary = rows.order_by().filter(pk=asked[1]).values_list(*(s.field for s in order)).first()
        if boundary is None:  # the row left the list: start again from the top
            direction, forwards, walk = _NEXT, True, list(order)
        else:
            page = rows.filter(_after(walk, boundary))
    found = list(page.order_by(*order_by(walk))[: size + 1])
    more = len(found) > size
    found = found[:size]
    if not forwards:
        found.reverse()
    result = KeysetPage(rows=found, count=capped_count(rows, cap))
    if not found:
        return result
    if direction == _LAST:
        has_next, has_previous = False, more
    elif boundary is None:
        has_next, has_previous = more, False
    elif forwards:
        has_next, has_previous = more, True
    else:
        has_next, has_previous = True, more
    result.first = not has_previous
    if has_next:
        result.next_cursor = cursor_for(salt, _NEXT, found[-1].pk)
        result.last_cursor = cursor_for(salt, _LAST, 0)
    if has_previous:
        result.previous_cursor = cursor_for(salt, _PREV, found[0].pk)
    return result
