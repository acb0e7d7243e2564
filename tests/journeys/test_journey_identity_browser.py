"""In Chromium, with CSRF checks on: Aminata files a request and finds her identity's place taken;
her page says so without a word about the other request, and she answers « Ce n'est pas moi ».
A manager compares both requests on the disputes page, gives her the place back, finds the
request again on the cancel-or-merge pages and reads it all in the journal. axe-core checks
every page on the way."""

import datetime
import re

import pytest
import time_machine

from guichet.backoffice.enums import Role
from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import confirm_contact, register_request
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.browser import Journey, fill_first_permit_intake, mail_to, send_the_request
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)

PASSPORT = "12AB34567"


@pytest.fixture
def taken(settings, live_server):
    """Val-de-Marne; someone holding a copy of Aminata's passport took her place an hour ago;
    the manager chef.94."""
    settings.SITE_URL = live_server.url
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture, "Préfecture du Val-de-Marne")
        service = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
        impostor, _ = register_request(
            service=service,
            applicant=factories.applicant(
                1,
                family_name="Diallo",
                given_names="Aminata",
                birth_date=datetime.date(1990, 5, 14),
                passport_number=PASSPORT,
                email="revendeur@example.org",
            ),
            sites=[site],
        )
        assert confirm_contact(impostor, impostor.verification_code)
        manager = factories.make_agent(prefecture, role=Role.MANAGER, username="chef.94")
    return {"impostor": impostor, "secret": manager.second_factor.secret}


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def file_her_request(journey: Journey):
    fill_first_permit_intake(journey, passport="12 ab 34567")
    assert PASSPORT in text(journey.page, "main")  # as typed, once normalised
    send_the_request(journey)


def test_her_place_taken_she_says_it_is_not_her_and_a_manager_gives_it_back(
    live_server, browser_page, desktop_page, taken
):
    impostor = taken["impostor"]
    page = browser_page
    journey = Journey(page, live_server.url)
    with time_machine.travel(NOW, tick=True):
        file_her_request(journey)
        hers = Request.objects.exclude(pk=impostor.pk).get()

        code = re.search(r"avec ce code : (\d{6})", mail_to("aminata@example.org")).group(1)
        page.get_by_label("Code à 6 chiffres").fill(code)
        page.get_by_role("button", name="Confirmer mes coordonnées").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        main = text(page, "main")
        assert "Cette demande n'a pas pu entrer dans la file d'attente" in main
        assert impostor.number not in main and "revendeur" not in main

        # « Ce n'est pas moi », first sent empty: the errors are named, then corrected.
        page.get_by_role("button", name="Ce n'est pas moi").click()
        page.wait_for_selector("#error-summary")
        journey.check()
        page.get_by_label("Ce qui s'est passé").fill("Je n'ai jamais fait d'autre demande.")
        page.locator("label", has_text="Au guichet de la préfecture").click()
        page.get_by_role("button", name="Ce n'est pas moi").click()
        page.wait_for_selector(".dispute-state")
        journey.check()
        assert "Votre contestation est enregistrée" in text(page, ".dispute-state")

        # The manager, at a desk.
        desk = Journey(desktop_page, live_server.url)
        agent = desktop_page
        desk.log_in("chef.94", taken["secret"])
        agent.get_by_role("link", name="Contestations d'identité").click()
        agent.wait_for_selector("table.dispute-requests")
        desk.check()
        both = text(agent, "table.dispute-requests")
        assert impostor.number in both and hers.number in both
        assert "revendeur@example.org" in both and "aminata@example.org" in both
        agent.get_by_label("Documents vérifiés").fill("Passeport 12AB34567 vu au guichet.")
        agent.get_by_role("button", name="La place revient à la personne qui conteste").click()
        agent.wait_for_selector(".fr-alert--success")
        desk.check()
        assert f"la demande {impostor.number} est annulée" in text(agent, ".fr-alert--success")

        # The cancel-or-merge pages find her request by its number.
        agent.get_by_role("link", name="Annuler ou fusionner").click()
        agent.wait_for_url("**/agent/demandes/")
        desk.check()
        agent.get_by_label("Numéro de la demande").fill(hers.number.lower())
        agent.get_by_role("button", name="Ouvrir la demande").click()
        agent.wait_for_selector("table.request-facts")
        desk.check()
        assert "En attente d'une date" in text(agent, "table.request-facts")

        agent.get_by_role("link", name="Journal").click()
        agent.wait_for_selector("table.journal")
        desk.check()
        assert "contestation d'identité reconnue" in text(agent, "table.journal")

        # Her page: in the queue, with her own registration.
        page.reload()
        journey.check()
        hers.refresh_from_db()
        assert hers.status == RequestStatus.WAITING
        assert "Contestation reconnue par un agent" in text(page, "ol.receipt-history")
        assert journey.refused() == [] and desk.refused() == []
