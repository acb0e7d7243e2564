"""The robot's loop: check every enabled target when it is due, record the outcome, plan the next.

Bounded by a time limit or a number of checks; the clock is injected so that a simulated week runs
in seconds in tests.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from .evidence import record_check
from .models import Check, Target
from .probe import HostPolicy, Probe, user_agent
from .schedule import next_check_at


@dataclass
class SystemClock:
    now: Callable[[], datetime.datetime] = timezone.now
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class SimulatedClock:
    """Time that passes only when the robot sleeps: a simulated week takes seconds."""

    start: datetime.datetime
    seconds: float = 0.0

    def now(self) -> datetime.datetime:
        return self.start + datetime.timedelta(seconds=self.seconds)

    def monotonic(self) -> float:
        return self.seconds

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.seconds += seconds


def make_probe(clock: SystemClock | SimulatedClock) -> Probe:
    client = httpx.Client(
        headers={"User-Agent": user_agent(settings.SITE_URL), "Accept-Language": "fr"},
        timeout=httpx.Timeout(settings.GUICHET_OBSERVATORY_TIMEOUT),
        follow_redirects=False,
    )
    policy = HostPolicy(
        min_interval=settings.GUICHET_OBSERVATORY_HOST_INTERVAL,
        clock=clock.monotonic,
        sleep=clock.sleep,
    )
    return Probe(client, policy)


def due_targets(now: datetime.datetime):
    return Target.objects.filter(enabled=True).filter(
        Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)
    )


def check_target(
    target: Target, probe: Probe, clock: SystemClock | SimulatedClock, rng, screenshotter=None
) -> Check:
    """Visit one target now, record what it said, and plan its next visit."""
    started = clock.now()
    result = probe.check(target.probe_target())
    picture = screenshotter(result.body) if screenshotter and result.body else None
    check = record_check(
        target,
        started,
        result.reading,
        body=result.body,
        url=result.url,
        http_status=result.status,
        screenshot=picture,
    )
    target.next_check_at = next_check_at(started, target.checks_per_day, rng)
    target.save(update_fields=["next_check_at"])
    return check


def run_robot(
    probe: Probe,
    clock: SystemClock | SimulatedClock,
    *,
    until: datetime.datetime,
    max_checks: int | None = None,
    rng: random.Random | None = None,
    screenshotter=None,
) -> list[Check]:
    """Check every due target, then wait for the next one, until `until` or `max_checks`."""
    rng = rng or random.Random()
    done: list[Check] = []
    while max_checks is None or len(done) < max_checks:
        target = due_targets(clock.now()).order_by("next_check_at", "pk").first()
        if target:
            done.append(check_target(target, probe, clock, rng, screenshotter))
            continue
        upcoming = Target.objects.filter(enabled=True).aggregate(at=Min("next_check_at"))["at"]
        if upcoming is None or clock.now() >= until:
            break
        clock.sleep(max(0.0, (min(upcoming, until) - clock.now()).total_seconds()))
    return done
