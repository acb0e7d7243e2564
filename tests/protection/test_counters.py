"""The counters behind rate limits, lockouts and replay marks: never dropped by a full cache,
sliding windows instead of a reset on the clock hour, expired rows cleared by the due work."""

import datetime

import pyotp
import pytest
from django.core.cache import cache

from guichet.backoffice.access import SECOND_FACTOR_SESSION_KEY
from guichet.duework.jobs import run_due_work
from guichet.protection import counters
from guichet.protection.ratelimits import RateLimited, check_rate_limits
from tests import factories
from tests.marks import counting_at

NOW = datetime.datetime(2026, 3, 2, 10, 50, tzinfo=datetime.UTC)

pytestmark = counting_at(NOW)


@pytest.fixture(autouse=True)
def rate_limits_on(settings):
    settings.GUICHET_RATE_LIMITS_ENABLED = True


def test_a_locked_account_stays_locked_when_the_cache_fills_up(client):
    agent = factories.make_agent(factories.make_prefecture("94"), username="agent.durand")
    client.post("/agent/connexion/", {"username": "agent.durand", "password": factories.PASSWORD})
    for _ in range(5):
        client.post("/agent/connexion/code/", {"code": "abcdef"})

    # A busy day: a thousand other entries, named as rate-limit counters were (after the lock's
    # name, so a culling cache drops the lock first).
    for n in range(1000):
        cache.set(f"guichet:other:{n:04d}", n, timeout=3600)
    right_code = pyotp.TOTP(agent.second_factor.secret).now()
    response = client.post("/agent/connexion/code/", {"code": right_code})

    assert "Trop de codes erronés" in response.content.decode()
    assert SECOND_FACTOR_SESSION_KEY not in client.session


def test_a_limit_slides_instead_of_starting_again_on_the_hour(settings, clock):
    settings.GUICHET_RATE_LIMIT_PER_IP = (3, 3600)
    for n in range(3):
        check_rate_limits("203.0.113.7", [f"personne{n}@example.org"])  # at 10:50

    clock.move_to(NOW + datetime.timedelta(minutes=10, seconds=30))  # 11:00:30
    with pytest.raises(RateLimited) as caught:
        check_rate_limits("203.0.113.7", ["autre@example.org"])
    assert "Réessayez dans 50 minutes" in str(caught.value)

    clock.move_to(NOW + datetime.timedelta(hours=1))  # 11:50
    check_rate_limits("203.0.113.7", ["autre@example.org"])


def test_a_mark_is_set_once_until_it_expires(settings, clock):
    settings.GUICHET_COUNTERS_CACHE = None  # the database store: Redis's TTL ignores our clock
    assert counters.add_once("test:mark", 60)
    assert not counters.add_once("test:mark", 60)

    clock.shift(datetime.timedelta(seconds=61))
    assert counters.add_once("test:mark", 60)


def test_the_due_work_clears_expired_counters(settings, clock):
    settings.GUICHET_COUNTERS_CACHE = None  # the database store; Redis expires keys itself
    counters.hit("test:hits", 60)
    counters.add_once("test:mark", 60)

    assert run_due_work(NOW + datetime.timedelta(seconds=59))["expired_counters"] == 0
    assert run_due_work(NOW + datetime.timedelta(minutes=3))["expired_counters"] == 2
