"""In Chromium, with CSRF checks on: a request released a second time after its person put it back
once. Their status page and the release message's link say only the préfecture can put it back
now, with no button; an agent finds the request from the check-in page, checks the papers and
puts it back in line. axe-core checks every page on the way.
"""

import datetime

import pytest
import time_machine

from guichet.backoffice.enums import Role
from guichet.booking.enums import RequestStatus
from guichet.booking.reminders import release_unconfirmed, resume_paused
from guichet.booking.services import allocate_prefecture
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.browser import Journey
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)

DATE = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)  # 09:00 Paris
RELEASED = DATE - datetime.timedelta(days=5)  # asked seven days before, released two after
RESUMED = RELEASED + datetime.timedelta(hours=1)
RELEASED_AGAIN = RESUMED + datetime.timedelta(days=2)  # dated again at once, asked at once


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.fixture
def released_twice(settings, live_server):
    settings.SITE_URL = live_server.url
    with time_machine.travel(NOW, tick=False):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture, "Préfecture du Val-de-Marne")
        service = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
        service.needs_reconfirmation = True
        service.save()
        factories.make_units(site, service, DATE, 1)
        request = factories.register_at_counter(service, site, 8)
        allocate_prefecture(prefecture, seed=1)
        manager = factories.make_agent(prefecture, role=Role.MANAGER, username="chef.94")
    with time_machine.travel(RELEASED, tick=False):
        assert release_unconfirmed() == 1
    with time_machine.travel(RESUMED, tick=False):
        assert resume_paused(request)
        allocate_prefecture(prefecture, seed=2)
    with time_machine.travel(RELEASED_AGAIN, tick=False):
        assert release_unconfirmed() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.PAUSED
    return request, manager.second_factor.secret


def test_released_twice_only_an_agent_puts_it_back(
    live_server, browser_page, desktop_page, released_twice
):
    request, secret = released_twice
    page = browser_page
    journey = Journey(page, live_server.url)
    with time_machine.travel(RELEASED_AGAIN + datetime.timedelta(hours=1), tick=True):
        journey.goto(f"/demande/{request.access_token}/suivi/")
        main = text(page, "main")
        assert "seule la préfecture peut maintenant l'y remettre" in main
        assert page.get_by_role("button", name="J'ai toujours besoin d'un rendez-vous").count() == 0
        journey.goto(f"/demande/{request.access_token}/toujours-besoin/")
        assert "Allez au guichet de la préfecture ou appelez-la" in text(page, "main")
        assert page.get_by_role("button", name="J'ai toujours besoin d'un rendez-vous").count() == 0

        # The person at the counter; the agent looks the request up.
        desk = Journey(desktop_page, live_server.url)
        agent = desktop_page
        desk.log_in("chef.94", secret)
        agent.get_by_role("link", name="Accueil au guichet").click()
        agent.wait_for_url("**/agent/accueil/**")
        desk.check()
        agent.get_by_label("Numéro de la demande").fill(request.number)
        agent.get_by_role("button", name="Rechercher").click()
        agent.wait_for_selector("#arrival-title")
        desk.check()
        agent.get_by_role("link", name="Remettre dans la file d'attente").click()
        agent.wait_for_selector("table.request-facts")
        desk.check()
        assert "déjà remise dans la file elle-même une fois" in text(agent, "main")

        # Sent without a word on the papers: refused, and said so.
        agent.get_by_role("button", name="Remettre dans la file d'attente").click()
        agent.wait_for_selector("#error-summary")
        desk.check()
        agent.get_by_label("Documents vérifiés").fill("Passeport PA0000008 vu au guichet.")
        agent.get_by_role("button", name="Remettre dans la file d'attente").click()
        agent.wait_for_selector(".fr-alert--success")
        desk.check()
        assert "remise dans la file d'attente" in text(agent, ".fr-alert--success")

        journey.goto(f"/demande/{request.access_token}/suivi/")
        assert "Remise dans la file d'attente par la préfecture" in text(page, "main")
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert journey.refused() == [] and desk.refused() == []
