"""Many rows into one table in a few statements, without a model instance per row.

Django's `bulk_create` builds and prepares a model instance per row: for the tens of thousands
of appointments, history rows and messages of one allocation batch, that was most of the
batch's time. Here rows go as they are: through PostgreSQL's COPY, or executemany elsewhere.
Fields not given take their model default. No signals, no `save()`:
for rows written once (appointments, history, queued messages).
"""

import json
import secrets
from typing import cast

from django.db import connection, models, transaction

CHUNK = 10_000
# From this many rows, COPY (and its temporary table) beats one INSERT per row on PostgreSQL.
COPY_FROM = 100


def insert_rows(
    model: type[models.Model],
    fields: tuple[str, ...],
    rows: list[tuple],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert `rows` (tuples of values for `fields`, by attribute name) into the model's table.

    `ignore_conflicts` skips rows a unique constraint refuses, e.g. a message already queued
    for its event by a replayed job.
    """
    if not rows:
        return
    columns = [field for field in model._meta.concrete_fields if not field.primary_key]
    position = {name: index for index, name in enumerate(fields)}
    unknown = set(fields) - {field.attname for field in columns}
    if unknown:
        raise ValueError(f"not fields of {model.__name__}: {', '.join(sorted(unknown))}")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(cast(str, f.column)) for f in columns)  # concrete: all have one
    with transaction.atomic(), connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres and len(rows) >= COPY_FROM:
            values = [_column(field, position.get(field.attname), rows) for field in columns]
            _copy(cursor, table, names, values, ignore_conflicts)
            return
        verb = "INSERT OR IGNORE" if ignore_conflicts and not postgres else "INSERT"
        conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts and postgres else ""
        marks = ", ".join(["%s"] * len(columns))
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = [_column(field, position.get(field.attname), chunk) for field in columns]
            cursor.executemany(
                f"{verb} INTO {table} ({names}) VALUES ({marks}){conflict}",
                list(zip(*values, strict=True)),
            )


def _copy(cursor, table: str, names: str, values: list[list], ignore_conflicts: bool) -> None:
    """PostgreSQL's COPY, whose rows psycopg formats in C; through a temporary table when rows a
    unique constraint refuses are to be skipped (COPY itself would fail on them)."""
    target = table
    if ignore_conflicts:
        target = connection.ops.quote_name(f"bulk_{secrets.token_hex(6)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
    # The driver's own cursor: Django's wrapper has no COPY.
    with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        for row in zip(*values, strict=True):
            copy.write_row(row)
    if ignore_conflicts:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {target}")


def _column(field: models.Field, index: int | None, rows: list[tuple]) -> list:
    """One column's values, as the database takes them."""
    if index is None:
        default = field.get_default()
        if not isinstance(field, models.JSONField):
            return [field.get_db_prep_save(default, connection)] * len(rows)
        values = [default] * len(rows)
    else:
        values = [row[index] for row in rows]
    if isinstance(field, models.JSONField):
        return [None if value is None else json.dumps(value) for value in values]
    if isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
        adapt = connection.ops.adapt_datetimefield_value
        return [adapt(value) for value in values]
    return values
