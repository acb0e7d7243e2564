"""In Chromium, as a person would: home page, the intake with its real proof-of-work, the receipt,
and its PDF downloaded."""

import pypdfium2
import pytest
from playwright.sync_api import TimeoutError

from guichet.booking.models import Request
from guichet.catalogue.enums import ServiceKind
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_home_page_to_a_receipt_and_its_pdf(live_server, browser_page, settings, tmp_path):
    settings.GUICHET_ALTCHA_ENABLED = True
    settings.GUICHET_ALTCHA_MAX_NUMBER = 5000  # a quicker puzzle, the same code path
    prefecture = factories.make_prefecture()
    factories.make_site(prefecture, "Préfecture du Val-de-Marne")
    factories.make_service(prefecture, ServiceKind.FIRST_PERMIT)
    page = browser_page
    log = []  # what the browser saw, to explain a failure
    page.on("console", lambda message: log.append(message.text))
    page.on("response", lambda response: log.append(f"{response.status} {response.url}"))

    page.goto(live_server.url)
    page.get_by_role("link", name="Faire une demande de rendez-vous").click()
    page.get_by_label("Préfecture de votre département de résidence").select_option("94")
    page.get_by_role("button", name="Continuer").click()
    page.locator("label", has_text="Première demande").click()  # DSFR draws its own radio
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Nom de famille").fill("Diallo")
    page.get_by_label("Prénoms").fill("Aminata")
    page.get_by_label("Date de naissance").fill("1990-05-14")
    page.get_by_label("Nationalité").fill("sénégalaise")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Adresse électronique").fill("aminata@example.org")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Continuer").click()  # sites: all checked by default
    page.get_by_role("button", name="Envoyer ma demande").click()

    try:
        page.wait_for_url("**/attestation/")
    except TimeoutError:
        pytest.fail(
            f"no receipt: still at {page.url}; challenge said "
            f"{page.locator('[data-altcha-status]').inner_text()!r}; page said "
            f"{page.locator('main').inner_text()[:600]!r}; browser log {log}",
            pytrace=False,
        )
    request = Request.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Attestation d'enregistrement de demande de rendez-vous"
    )
    assert request.number in page.content()

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger").first.click()
    pdf = tmp_path / "attestation.pdf"
    download.value.save_as(pdf)
    document = pypdfium2.PdfDocument(pdf)
    assert request.number in document[0].get_textpage().get_text_range()
