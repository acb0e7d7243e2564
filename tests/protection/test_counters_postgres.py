"""Races on the counters, on a real database server: simultaneous attempts never get more
through than the limit (wrong TOTP codes, intakes from one address)."""

import collections
import datetime
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from guichet.backoffice.auth import WRONG_CODES_ALLOWED, CodeRefused, check_code
from guichet.booking.models import Request
from tests import factories
from tests.marks import counting_at
from tests.postgres import ONLY_ON_POSTGRES

NOW = datetime.datetime(2026, 3, 2, 10, 10, 5, tzinfo=datetime.UTC)


pytestmark = [
    *ONLY_ON_POSTGRES,
    *counting_at(NOW, database=pytest.mark.django_db(transaction=True)),
]


def race(actions):
    """Run each action in its own thread, all released at the same instant; return what each
    returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait()
            outcomes.append(action())
        except Exception as error:  # noqa: BLE001 - the refusal is the outcome
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_forty_simultaneous_wrong_codes_get_five_evaluated():
    user = factories.make_agent(factories.make_prefecture("94"), username="agent.durand")

    outcomes = race([lambda: check_code(user, "abcdef")] * 40)

    assert all(isinstance(outcome, CodeRefused) for outcome in outcomes)
    said = collections.Counter(str(outcome).split(" ")[0] for outcome in outcomes)
    # « Ce code n'est pas valide » for each code checked, « Trop de codes erronés » for the rest.
    assert said == {"Ce": WRONG_CODES_ALLOWED, "Trop": 40 - WRONG_CODES_ALLOWED}


def test_sixty_simultaneous_intakes_from_one_fresh_address_accept_twenty(world, settings):
    settings.GUICHET_RATE_LIMITS_ENABLED = True
    _, site, service = world

    def intake(n):
        def post():
            data = factories.intake_data(service, site, n)
            client = Client(REMOTE_ADDR="203.0.113.9")
            return client.post(reverse("api:create_request"), data, "application/json")

        return post

    outcomes = race([intake(n) for n in range(60)])

    answers = collections.Counter(getattr(outcome, "status_code", outcome) for outcome in outcomes)
    assert answers == {201: 20, 429: 40}
    assert Request.objects.count() == 20
