"""In Chromium, as an applicant would, with CSRF checks on and the real proof of work: from the
home page to a receipt, the code read from the message, the date, an earlier date accepted, the
calendar file and a cancellation; the one-tap link of the e-mail; and a request paused after a
missed reconfirmation, put back in the queue from the release message. axe-core checks every
page.
"""

import datetime
import re

import icalendar
import pypdfium2
import pytest
import time_machine

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.offers import make_offers
from guichet.booking.reminders import release_unconfirmed
from guichet.booking.services import allocate_prefecture, register_request
from guichet.catalogue.enums import ServiceKind
from tests import factories
from tests.browser import Journey, fill_first_permit_intake, mail_to, send_the_request

pytestmark = pytest.mark.django_db(transaction=True)

# Monday 23 November 2026, 11:00 in Paris; time flows from there during the journey.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
FIRST_DATE = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.UTC)  # 09:00 Paris
EARLIER_DATE = datetime.datetime(2026, 12, 7, 13, 0, tzinfo=datetime.UTC)  # 14:00 Paris


@pytest.fixture
def val_de_marne(settings, live_server):
    settings.SITE_URL = live_server.url  # links in messages lead to the test server
    settings.GUICHET_ALTCHA_ENABLED = True
    settings.GUICHET_ALTCHA_MAX_NUMBER = 5000  # a quicker puzzle, the same code path
    with time_machine.travel(NOW, tick=True):
        prefecture = factories.make_prefecture()
        site = factories.make_site(prefecture, "Préfecture du Val-de-Marne")
        service = factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
        factories.make_units(site, service, FIRST_DATE, 1)
        yield prefecture, site, service


def alert(page) -> str:
    return page.locator(".fr-alert").first.inner_text()


def test_an_applicant_from_the_home_page_to_an_earlier_date_and_a_cancellation(
    live_server, browser_page, val_de_marne, tmp_path
):
    prefecture, site, service = val_de_marne
    page = browser_page
    journey = Journey(page, live_server.url)

    with time_machine.travel(NOW, tick=True):
        fill_first_permit_intake(journey, passport="12AB34567")
        send_the_request(journey)
        request = Request.objects.get()
        assert request.number in page.content()
        assert request.status == RequestStatus.UNVERIFIED

        # The code, from the e-mail, typed on the receipt page.
        code = re.search(r"avec ce code : (\d{6})", mail_to("aminata@example.org")).group(1)
        page.get_by_label("Code à 6 chiffres").fill(code)
        page.get_by_role("button", name="Confirmer mes coordonnées").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        assert "Vos coordonnées sont confirmées" in alert(page), journey.refused()
        request.refresh_from_db()
        assert request.status == RequestStatus.WAITING

        # The receipt and its PDF.
        page.get_by_role("link", name="Voir l'attestation d'enregistrement").click()
        journey.check()
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
        pdf = tmp_path / "attestation.pdf"
        download.value.save_as(pdf)
        assert request.number in pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()

        # Preferences, on their own page: messages in English from now on.
        page.get_by_role("link", name="Page de suivi de ma demande").click()
        journey.check()
        page.get_by_role("link", name="Modifier mes préférences").click()
        journey.check()
        page.locator("label", has_text="English").click()
        page.get_by_role("button", name="Enregistrer mes préférences").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        assert "Vos préférences sont enregistrées" in alert(page)
        request.refresh_from_db()
        assert request.language == "en"

        # The batch dates the request: the page shows the date, the .ics holds it.
        allocate_prefecture(prefecture, seed=1)
        page.reload()
        journey.check()
        assert "lundi 14 décembre 2026 à 09:00" in page.locator("main").inner_text()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("agenda")).click()
        calendar = icalendar.Calendar.from_ical(download.value.path().read_bytes())
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("dtstart") == FIRST_DATE

        # An earlier unit opens: it is offered, and accepted.
        factories.make_units(site, service, EARLIER_DATE, 1)
        assert make_offers() == 1
        page.reload()
        journey.check()
        page.get_by_role("button", name="Accepter cette date").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        assert "votre rendez-vous est avancé" in alert(page)
        request.refresh_from_db()
        assert request.appointment.unit.starts_at == EARLIER_DATE

        # Cancellation, with its confirmation step.
        page.get_by_role("link", name="Annuler ma demande").click()
        journey.check()
        page.get_by_role("button", name="Oui, annuler ma demande").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        assert "est annulée" in alert(page)
        request.refresh_from_db()
        assert request.status == RequestStatus.CANCELLED

    assert not journey.refused(), journey.refused()


def test_the_one_tap_link_of_the_email_confirms_the_contact(
    live_server, browser_page, val_de_marne
):
    prefecture, site, service = val_de_marne
    journey = Journey(browser_page, live_server.url)
    with time_machine.travel(NOW, tick=True):
        request, _ = register_request(
            service=service, applicant=factories.applicant(7), sites=[site]
        )
        link = re.search(r"ou en ouvrant ce lien : (\S+)", mail_to(request.email)).group(1)
        journey.goto(link.removeprefix(live_server.url))
        browser_page.get_by_role("button", name="Confirmer mes coordonnées").click()
        browser_page.wait_for_url("**/suivi/")
        journey.check()
        assert "Vos coordonnées sont confirmées" in alert(browser_page), journey.refused()
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert not journey.refused(), journey.refused()


def test_a_request_paused_after_a_missed_reconfirmation_goes_back_from_the_message_link(
    live_server, browser_page, val_de_marne
):
    prefecture, site, service = val_de_marne
    service.needs_reconfirmation = True
    service.save()
    page = browser_page
    journey = Journey(page, live_server.url)
    with time_machine.travel(NOW, tick=True):
        request = factories.register_at_counter(service, site, 8)
        allocate_prefecture(prefecture, seed=1)
    # Asked seven days before the date, never answered: released two days later.
    with time_machine.travel(FIRST_DATE - datetime.timedelta(days=5), tick=True):
        assert release_unconfirmed() == 1
        email = mail_to(request.email)
        link = re.search(r"« J'ai toujours besoin d'un rendez-vous » : (\S+)", email).group(1)

        journey.goto(f"/demande/{request.access_token}/suivi/")
        assert "Avez-vous toujours besoin d'un rendez-vous ?" in page.locator("main").inner_text()
        journey.goto(link.removeprefix(live_server.url))
        page.get_by_role("button", name="J'ai toujours besoin d'un rendez-vous").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        assert "de nouveau dans la file d'attente" in alert(page), journey.refused()
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert not journey.refused(), journey.refused()
