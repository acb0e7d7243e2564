"""In Chromium: the widget solves the challenge in Web Workers, and a challenge left unsent for
five minutes, which the server would now refuse as expired, is renewed before the request goes."""

import datetime

import pytest
import time_machine

from guichet.booking.models import Request
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.browser import Journey, fill_first_permit_intake
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def traveller(settings, live_server):
    settings.GUICHET_ALTCHA_ENABLED = True
    settings.GUICHET_ALTCHA_MAX_NUMBER = 5000  # a quicker puzzle, the same code path
    with time_machine.travel(NOW, tick=True) as traveller:
        prefecture = factories.make_prefecture()
        factories.make_site(prefecture, "Préfecture du Val-de-Marne")
        factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
        yield traveller


def test_a_challenge_left_five_minutes_is_renewed_before_sending(
    live_server, browser_page, traveller
):
    page = browser_page
    page.clock.install()
    challenges, workers = [], []
    page.on("request", lambda r: challenges.append(r.url) if "/demande/defi/" in r.url else None)
    page.on("worker", lambda worker: workers.append(worker.url))
    fill_first_permit_intake(Journey(page, live_server.url, audit=False), passport="12AB34567")
    page.locator("[data-altcha-status]", has_text="Vérifié").wait_for()  # solved once

    # The person reads for five minutes: the server's clock and the browser's move on.
    traveller.shift(datetime.timedelta(minutes=5))
    page.clock.fast_forward("05:00")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/attestation/", timeout=30_000)

    assert len(challenges) == 2 and all("prefecture=94" in url for url in challenges)
    assert workers, "the widget solved on the page instead of in workers"
    assert Request.objects.count() == 1
