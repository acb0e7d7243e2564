"""What only PostgreSQL can answer: CI runs these tests with DATABASE_URL set; elsewhere they
are skipped, and `-m postgres` picks them."""

import pytest
from django.db import connection

ONLY_ON_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)",
    ),
]
