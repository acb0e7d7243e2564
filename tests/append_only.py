"""Tampering with append-only tables in tests, as only their owner could.

Tests of `observe verify` alter and remove chained checks to show that the verifier names them;
on PostgreSQL the append-only triggers (guichet.append_only) refuse that to anyone but the tables'
owner, who can switch them off. So do these tests, for the duration of the tampering only.
"""

import contextlib

from django.db import connection


@contextlib.contextmanager
def as_the_tables_owner(*tables: str):
    """Switch off the append-only trigger of `tables` meanwhile (PostgreSQL; no-op elsewhere)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # ALTER TABLE waits for no deferred foreign-key check of rows the test just wrote.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
