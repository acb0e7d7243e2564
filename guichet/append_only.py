"""Append-only tables: the models' base, and the PostgreSQL triggers of the migrations.

`AppendOnlyModel` refuses `save()` on a stored row and `delete()`, but `QuerySet.update()`, bulk
deletes, raw SQL and a psql session go around the models. On PostgreSQL a trigger refuses every
UPDATE and DELETE of these tables' rows, whoever sends it; it belongs to the role that ran the
migrations, so the application's runtime role cannot drop or disable it (docs/production.md).
TRUNCATE fires no row trigger: the runtime role is simply not granted it. SQLite (the demo, most
tests) has no such guard.
"""

from django.db import migrations, models


class AppendOnlyError(Exception):
    """A row of an append-only table was about to be changed or deleted."""


class AppendOnlyModel(models.Model):
    """Rows written once (histories, journals, evidence): `save()` of a stored row and `delete()`
    raise; on PostgreSQL the table's trigger (`refuse_update_and_delete`) refuses the rest."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.verbose_name}: written once, never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}: never deleted")


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def refuse_update_and_delete(table: str) -> PostgreSQLOnly:
    """A trigger on `table` that raises on any UPDATE or DELETE of a row (SQLSTATE 23001,
    restrict_violation: Django raises IntegrityError)."""
    function = f"{table}_append_only"
    return PostgreSQLOnly(
        sql=f"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation',
                          HINT = 'History is evidence: add a row, never change or delete one.';
            END;
            $$;
            CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}();
        """,
        reverse_sql=f"""
            DROP TRIGGER IF EXISTS {function} ON {table};
            DROP FUNCTION IF EXISTS {function}();
        """,
    )
