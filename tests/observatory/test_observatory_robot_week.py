"""A simulated week against the local stand-in: right outcomes, schedule, pace, captcha stop."""

import datetime
import random
import re

import pytest

from guichet.observatory.evidence import verify_chain
from guichet.observatory.fake_prefecture import KINDS, Availability, FakePrefecture, running
from guichet.observatory.models import Check, Target
from guichet.observatory.probe import HostPolicy, Probe
from guichet.observatory.robot import SimulatedClock, make_probe, run_robot
from tests.append_only import as_the_tables_owner

pytestmark = pytest.mark.django_db
START = datetime.datetime(2030, 1, 7, 0, 0, tzinfo=datetime.UTC)
WEEK = datetime.timedelta(days=7)
PERIOD = 5 * 3600.0  # the stand-in changes what it says every five hours
HOST_INTERVAL, RETRIES, BACKOFF = 30.0, 2, 60.0
EXPECTED_LABEL = {kind: kind for kind in KINDS} | {"forbidden": "error"}


def availability(now: float) -> Availability:
    period = int(now // PERIOD)
    kind = ("no_slot", "slots", "captcha", "overloaded", "error", "maintenance", "forbidden")[
        period % len(KINDS)
    ]
    first_day = START.date() + datetime.timedelta(days=10 + period)
    return Availability(kind, free=1 + period % 5, first_day=first_day)


@pytest.fixture(scope="module")
def week(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run the robot once for the whole module: the week is the expensive part."""
    from django.conf import settings

    evidence = tmp_path_factory.mktemp("evidence")
    clock = SimulatedClock(START)
    app = FakePrefecture(availability, clock=clock.monotonic)
    with django_db_blocker.unblock(), running(app) as base_url:
        old_dir = getattr(settings, "GUICHET_EVIDENCE_DIR", None)
        settings.GUICHET_EVIDENCE_DIR = evidence
        targets = [
            Target.objects.create(
                prefecture="Préfecture simulée",
                department_code="95",
                procedure="Titre de séjour",
                url=f"{base_url}/booking/create/11343",
                planning="7",
            ),
            Target.objects.create(
                prefecture="Préfecture simulée",
                department_code="95",
                procedure="Naturalisation",
                url=f"{base_url}/booking/create/11344/0",
            ),
        ]
        probe = Probe(
            make_probe(clock).client,
            HostPolicy(HOST_INTERVAL, RETRIES, BACKOFF, clock=clock.monotonic, sleep=clock.sleep),
        )
        run_robot(probe, clock, until=START + WEEK, rng=random.Random(6))
        checks = list(Check.objects.order_by("sequence"))
        broken = verify_chain()
        yield app, targets, checks, broken
        with as_the_tables_owner("observatory_check"):
            Check.objects.all()._raw_delete(Check.objects.db)
        Target.objects.all().delete()
        settings.GUICHET_EVIDENCE_DIR = old_dir


def windows(app, checks):
    """The stand-in's requests grouped by the check that made them: same form, from its start.

    Stored times are rounded to the microsecond, hence the millisecond of slack.
    """
    grouped = []
    for check in checks:
        form = re.search(r"/booking/create/\d+", check.target.url)[0]
        later = [
            c.checked_at
            for c in checks
            if c.target_id == check.target_id and c.sequence > check.sequence
        ]
        start = (check.checked_at - START).total_seconds() - 1e-3
        end = (later[0] - START).total_seconds() - 1e-3 if later else float("inf")
        grouped.append([h for h in app.hits if h.path.startswith(form) and start <= h.at < end])
    return grouped


def test_every_check_records_what_the_stand_in_said(week):
    app, _, checks, _ = week
    seen = set()
    for check, hits in zip(checks, windows(app, checks), strict=True):
        state = hits[-1].state
        seen.add(state.kind)
        assert check.outcome == EXPECTED_LABEL[state.kind], (check, hits)
        if state.kind == "slots":
            assert (check.slot_count, check.earliest) == (state.free, state.first_day)
            assert check.url.endswith("/4")
    assert seen == set(KINDS)


def test_failures_are_retried_with_back_off_then_recorded(week):
    app, _, checks, _ = week
    for check, hits in zip(checks, windows(app, checks), strict=True):
        if hits[0].state.kind == "error":
            assert len(hits) == 1 + RETRIES
            assert check.http_status == 502
            gaps = [b.at - a.at for a, b in zip(hits, hits[1:], strict=False)]
            assert gaps == [max(HOST_INTERVAL, BACKOFF * 2**n) for n in range(RETRIES)]


def test_robot_keeps_to_its_schedule(week):
    _, targets, checks, _ = week
    mean = 24 * 3600 / 12
    for target in targets:
        times = [check.checked_at for check in checks if check.target_id == target.pk]
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
        # ±25 % jitter, plus the wait for the other target's visit to the same host.
        assert min(gaps) >= 0.75 * mean
        assert max(gaps) <= 1.25 * mean + 10 * HOST_INTERVAL
        assert 7 * 24 * 3600 / (1.25 * mean) - 1 <= len(times) <= 7 * 24 * 3600 / (0.75 * mean)


def test_one_host_is_never_asked_faster_than_its_interval(week):
    app, _, _, _ = week
    times = [hit.at for hit in app.hits]
    assert times == sorted(times)
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= HOST_INTERVAL


def test_robot_stops_at_the_captcha_and_never_books(week):
    app, _, checks, _ = week
    for hits in windows(app, checks):
        if hits[0].state.kind == "captcha":
            assert [(hit.method, hit.path) for hit in hits] == [("GET", hits[0].path)]
            assert hits[0].path.endswith("/0")
    for hit in app.hits:
        step = re.search(r"/(\d+)$", hit.path)
        assert step is None or int(step[1]) <= 4
        assert set(hit.form) <= {"condition", "planning", "nextButton"}


def test_the_week_forms_an_intact_chain(week):
    _, _, checks, broken = week
    assert broken is None
    assert all(check.evidence_sha256 for check in checks)
