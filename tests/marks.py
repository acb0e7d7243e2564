"""Marks several test modules share."""

import pytest


def counting_at(now, *, database=pytest.mark.django_db) -> list[pytest.MarkDecorator]:
    """Tests of counters (rate limits, lockouts, sessions): on the clock at `now`, with the
    counters emptied around each test, so no test inherits another's attempts."""
    return [database, pytest.mark.usefixtures("clean_counters"), pytest.mark.clock(now)]
