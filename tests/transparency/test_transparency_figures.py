"""Every published figure of a known history, counted by hand (tests/queue_history.py)."""

import pytest

from guichet.transparency.disclosure import published
from guichet.transparency.figures import Scope, queue_figures
from tests import queue_history
from tests.queue_history import N


def summary(count, median, p90):
    return {"count": count, "median_days": median, "p90_days": p90}


NO_ONE = summary(0, None, None)

# Window of 30 days: first dated A2 40, A3 35, A4 35 (to N+20), R1 27, R2 58 days after
# registration; seen A3 35, R1 27, R2 58 (A2 absent); A1 and A6 are older.
LAST_30_DAYS = {
    "window_days": 30,
    "wait_to_date_given": summary(5, 35.0, 58.0),  # 27 35 35 40 58: p90 is the 5th of 5
    "wait_to_appointment": summary(3, 35.0, 58.0),  # 27 35 58: p90 is the 3rd of 3
    "renewals": {
        "dated": 2,  # R1, R2
        "dated_before_expiry": 1,  # R1 (N-3, expires N+5); R2 dated N-2, expired N-8
        "share_dated_before_expiry": 0.5,
        "seen": 2,
        "seen_after_expiry": 1,  # R2
        "share_seen_after_expiry": 0.5,
    },
    # Units started in the window: A2 N-10, A3 N-5, R1 N-3, R2 N-2, N-7 and N-4 lost.
    "capacity": {
        "opened": 6,
        "used": 3,
        "no_show": 1,
        "lost": {"nobody_waiting": 1, "not_taken": 0, "too_late": 0, "closed": 1},
    },
    "no_show_rate": 0.25,  # A2 out of A2, A3, R1, R2
    "by_channel": {
        "web": NO_ONE,
        "api": NO_ONE,
        "counter": summary(2, 33.5, 40.0),  # A2 40, R1 27
        "phone": summary(1, 35.0, 35.0),  # A3
        "post": summary(1, 35.0, 35.0),  # A4
        "association": summary(1, 58.0, 58.0),  # R2
        "invitation": NO_ONE,
    },
}
# Window of 365 days: A1 (40 days, seen N-60) joins; A6 (N-380, seen N-370) stays out.
LAST_365_DAYS = {
    "window_days": 365,
    "wait_to_date_given": summary(6, 37.5, 58.0),  # 27 35 35 40 40 58
    "wait_to_appointment": summary(4, 37.5, 58.0),  # 27 35 40 58
    "renewals": LAST_30_DAYS["renewals"],
    # A1's N-60 and N-200 (lost, nobody waiting) join; A6's N-370 is older.
    "capacity": {
        "opened": 8,
        "used": 4,
        "no_show": 1,
        "lost": {"nobody_waiting": 2, "not_taken": 0, "too_late": 0, "closed": 1},
    },
    "no_show_rate": 0.2,
    "by_channel": {
        **LAST_30_DAYS["by_channel"],
        "counter": summary(3, 40.0, 40.0),  # A1 40, A2 40, R1 27
    },
}
# Waiting now: A5 (deadline N+55) and R3 (expired N-3); A4 has a date.
WAITING = {
    "count": 2,
    "deadlines": {
        "overdue": 1,
        "within_30_days": 0,
        "within_90_days": 1,
        "within_180_days": 0,
        "later": 0,
    },
}
EXPECTED = {"waiting": WAITING, "windows": {"30": LAST_30_DAYS, "365": LAST_365_DAYS}}


@pytest.fixture
def history(db):
    return queue_history.build()


def test_every_figure_of_a_known_history(history):
    figures = queue_figures(Scope(history.prefecture.pk), now=N)
    assert figures == EXPECTED
    # Nothing else in the country: the national figures are the préfecture's.
    assert queue_figures(Scope(), now=N) == EXPECTED


def test_a_service_counts_its_own_requests_only(history):
    figures = queue_figures(Scope(history.prefecture.pk, history.pickup.pk), now=N)
    assert figures["waiting"]["count"] == 1  # R3
    month = figures["windows"]["30"]
    assert month["wait_to_date_given"] == summary(2, 42.5, 58.0)  # R1 27, R2 58
    assert month["capacity"]["opened"] == 2  # R1 N-3, R2 N-2
    assert month["no_show_rate"] == 0.0


def test_small_counts_are_not_published(history):
    shown = published(queue_figures(Scope(history.prefecture.pk), now=N), minimum=3)
    assert shown["waiting"] == {
        "count": None,  # 2 people
        "deadlines": {
            "overdue": None,
            "within_30_days": 0,  # zero singles out nobody
            "within_90_days": None,
            "within_180_days": 0,
            "later": 0,
        },
    }
    month = shown["windows"]["30"]
    assert month["wait_to_date_given"] == summary(5, 35.0, 58.0)
    assert month["wait_to_appointment"] == summary(3, 35.0, 58.0)
    # Two renewals: neither the counts nor their shares.
    assert month["renewals"] == dict.fromkeys(LAST_30_DAYS["renewals"])
    # Units are desks, not people: published; people seen are counted, and the rate over 4.
    assert month["capacity"] == {**LAST_30_DAYS["capacity"], "no_show": None}
    assert month["no_show_rate"] == 0.25
    assert month["by_channel"]["counter"] == summary(None, None, None)
    assert month["by_channel"]["web"] == NO_ONE


def test_with_no_small_count_everything_is_published(history):
    figures = queue_figures(Scope(history.prefecture.pk), now=N)
    assert published(figures, minimum=1) == figures
