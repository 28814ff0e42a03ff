"""Batched raw INSERTs with explicit keys: how the generator writes 100,000 people quickly."""

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

BATCH = 5000


def insert_rows(model, columns, rows):
    """Insert plain tuples into `model`'s table; the ORM's bulk_create is too slow for 100,000 people.

    bulk_create spends most of the seed's time building model instances and
    compiling SQL with a per-field get_db_prep_save; a prepared INSERT run with
    executemany skips both. Rows carry their own primary keys (see `first_id`)
    and values already adapted for the database. Columns not given (created_at,
    nullable notes and the like) get the field's default, as a model instance
    would, with auto_now_add fields set to the time of the insert.

    Raw SQL bypasses GuardedManager. That is acceptable here only because the
    generator runs inside trusted() and writes invented data; nothing else
    should copy this.
    """
    if not rows:
        return
    ops = connection.ops
    fields = [model._meta.get_field(name) for name in columns]
    given = {field.name for field in fields}
    defaults = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in given:
            continue
        value = timezone.now() if getattr(field, "auto_now_add", False) else field.get_default()
        fields.append(field)
        defaults.append(field.get_db_prep_save(value, connection))
    if defaults:
        extra = tuple(defaults)
        rows = [row + extra for row in rows]
    quote = ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * (len(fields) + 1))
    # Quoted names from the model's own metadata; every value is a parameter.
    sql = f"INSERT INTO {table} ({pk}, {names}) VALUES ({marks})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def first_id(model):
    """The next free primary key. Safe inside the seed's transaction: SQLite holds the write lock
    (IMMEDIATE), and the sequences are reset after the seed so later ORM inserts do not collide."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({pk}) FROM {table}")  # noqa: S608  # nosec B608
        return (cursor.fetchone()[0] or 0) + 1


def reset_sequences(models) -> None:
    """Point PostgreSQL's id sequences past the ids the seed chose itself (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
