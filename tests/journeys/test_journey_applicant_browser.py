"""In Chromium, as an applicant would, with CSRF checks on and the real proof of work: from the
home page to a receipt, the code read from the message, the date, an earlier date accepted, the
calendar file and a cancellation; the one-tap link of the e-mail; and a request paused after a
missed reconfirmation, put back in the queue from the release message. The same intake once in
Arabic (a browser set to Arabic: right to left, the confirmation message in Arabic) and once in
English; switching to Spanish on the receipt. axe-core checks every page.

The Arabic journey keeps screenshots of the Arabic receipt, at phone and desktop size, in
var/test-artefacts/ (git-ignored): arabic-receipt-phone.png, arabic-receipt-desktop.png.
"""

import datetime
import re

import icalendar
import pypdfium2
import pytest
import time_machine
from django.conf import settings

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.offers import make_offers
from guichet.booking.reminders import release_unconfirmed
from guichet.booking.services import allocate_prefecture, register_request
from guichet.catalogue.enums import ServiceKind
from guichet.notifications.models import Message
from tests import factories
from tests.browser import Journey, fill_first_permit_intake, in_language, mail_to, send_the_request
from tests.conftest import DESKTOP, PHONE
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)

# Monday 23 November 2026, 11:00 in Paris; time flows from there during the journey.
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
        # Its pages now speak the messages' language; the switcher brings French back here.
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("button", name="Français").click()
        page.wait_for_url("**/suivi/")
        journey.check()
        assert page.locator("html").get_attribute("lang") == "fr"

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


ARTEFACTS = settings.PROJECT_DIR / "var" / "test-artefacts"
RECEIPT_TITLE = "Attestation d'enregistrement de demande de rendez-vous"
ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


def in_arabic(text: str) -> bool:
    """Written in Arabic: Arabic letters, and more of them than Latin ones (links, numbers,
    names and addresses stay in Latin letters; links are not counted)."""
    words = re.sub(r"\S+://\S+", "", text)
    return len(ARABIC_LETTERS.findall(words)) > len(re.findall("[A-Za-zÀ-ÿ]", words))


def six_digit_code(body: str) -> str:
    """The confirmation code of a message, whatever its language (links set aside)."""
    return re.search(r"(?<![\w-])(\d{6})(?![\w-])", re.sub(r"\S+://\S+", "", body)).group(1)


def test_an_applicant_whose_browser_speaks_arabic_is_answered_in_arabic_right_to_left(
    live_server, browser, val_de_marne
):
    say = in_language("ar")
    page = browser.new_page(viewport=PHONE, locale="ar", accept_downloads=True)
    journey = Journey(page, live_server.url)

    with time_machine.travel(NOW, tick=True):
        fill_first_permit_intake(journey, passport="12AB34567", say=say)
        send_the_request(journey, say=say)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTEFACTS / "arabic-receipt-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=ARTEFACTS / "arabic-receipt-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
        assert page.locator("h1").inner_text() == say(RECEIPT_TITLE) != RECEIPT_TITLE
        request = Request.objects.get()
        assert request.language == "ar"
        # The request number reads left to right inside the Arabic page.
        number = page.locator(".receipt-number bdi")
        assert (number.inner_text(), number.get_attribute("dir")) == (request.number, "ltr")

        # The confirmation message is written in Arabic; its code confirms the contact.
        body = mail_to("aminata@example.org")
        assert Message.objects.filter(request=request).values_list("language", flat=True)[0] == "ar"
        assert in_arabic(body), body
        page.get_by_label(say("Code à 6 chiffres")).fill(six_digit_code(body))
        page.get_by_role("button", name=say("Confirmer mes coordonnées")).click()
        page.wait_for_url("**/suivi/")
        journey.check()
        confirmed = "Vos coordonnées sont confirmées."
        assert say(confirmed) in alert(page) and say(confirmed) != confirmed, journey.refused()
        assert page.locator("html").get_attribute("dir") == "rtl"

    assert not journey.refused(), journey.refused()


def test_the_intake_in_english_passes_axe_core_at_every_step(live_server, browser, val_de_marne):
    say = in_language("en")
    page = browser.new_page(viewport=PHONE, locale="en-GB")
    journey = Journey(page, live_server.url)
    with time_machine.travel(NOW, tick=True):
        fill_first_permit_intake(journey, passport="12AB34567", say=say)
        send_the_request(journey, say=say)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == say(RECEIPT_TITLE) != RECEIPT_TITLE
    assert Request.objects.get().language == "en"
    assert len(journey.checked) == 8, journey.checked  # home, six steps, receipt
    assert not journey.refused(), journey.refused()


def test_switching_to_spanish_on_the_receipt_stays_on_the_receipt_in_spanish(
    live_server, browser_page, val_de_marne
):
    prefecture, site, service = val_de_marne
    page = browser_page
    journey = Journey(page, live_server.url)
    with time_machine.travel(NOW, tick=True):
        request, _ = register_request(
            service=service, applicant=factories.applicant(9), sites=[site]
        )
        receipt = f"/demande/{request.access_token}/attestation/"
        journey.goto(receipt)
        assert page.locator("html").get_attribute("lang") == "fr"

        page.get_by_role("button", name="Español").click()
        page.wait_for_load_state("load")
        journey.check()

    assert page.url == live_server.url + receipt
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == in_language("es")(RECEIPT_TITLE) != RECEIPT_TITLE
    assert page.get_by_role("button", name="Español").get_attribute("aria-current") == "true"
    # Remembered: the next page opened is in Spanish too, its address unchanged.
    journey.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert not journey.refused(), journey.refused()
