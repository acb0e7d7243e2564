"""Many rows into one table in a few statements, without a model instance per row.

Django's `bulk_create` builds and prepares a model instance per row: for the tens of thousands
of appointments, history rows and messages of one allocation batch, that was most of the
batch's time. Here each column is sent whole: as arrays PostgreSQL unnests, or through
executemany elsewhere. Fields not given take their model default. No signals, no `save()`:
for rows written once (appointments, history, queued messages).
"""

import json

from django.db import connection, models

CHUNK = 10_000


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
    table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in columns)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = [_column(field, position.get(field.attname), chunk) for field in columns]
            if postgres:
                casts = ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)
                conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT * FROM UNNEST({casts}){conflict}",
                    values,
                )
            else:
                verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"{verb} INTO {table} ({names}) VALUES ({marks})",
                    list(zip(*values, strict=True)),
                )


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
