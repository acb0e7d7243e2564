"""Issue 13's journey in Chromium, with CSRF checks on and axe-core on every page: a person
sends three documents from a phone-sized browser, an agent of the préfecture marks one « à
refaire » with a reason, the person reads the message, sees the checklist and replaces the
document, the agent accepts it, and at check-in the agent reads « Dossier complet »."""

import datetime
import re

import pytest
import time_machine

from guichet.backoffice.enums import Role
from guichet.documents.models import Document
from guichet.documents.services import dossier_of
from tests import factories
from tests.applicant_space import dated
from tests.browser import Journey, mail_to
from tests.documents_space import pdf, phone_photo, with_list
from tests.factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)

# Monday 23 November 2026, 11:00 in Paris; the appointment two weeks later.
APPOINTMENT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def dossier(settings, live_server):
    settings.SITE_URL = live_server.url  # links in messages lead to the test server
    with time_machine.travel(NOW, tick=False):
        request = dated(start=APPOINTMENT, email="aminata@example.org")
        with_list(request.service)
        agent = factories.make_agent(request.prefecture, Role.AGENT, "agent.94")
        documents = list(dossier_of(request).documents.order_by("requirement__position"))
    return request, agent, documents


def upload(journey: Journey, document: Document, name: str, data: bytes, mime: str) -> None:
    card = journey.page.locator(f"#document-{document.pk}")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    card.locator("button[type=submit]").first.click()
    journey.page.wait_for_selector(".fr-alert--success")
    journey.check()


def words(page, selector="main") -> str:
    return " ".join(page.inner_text(selector).split())


def test_three_documents_sent_one_redone_then_dossier_complete_at_check_in(
    live_server, browser_page, desktop_page, dossier
):
    request, agent, (passport, address, marriage) = dossier
    phone = Journey(browser_page, live_server.url)
    desk = Journey(desktop_page, live_server.url)
    browser_page.set_default_timeout(10_000)
    desktop_page.set_default_timeout(10_000)

    with time_machine.travel(NOW, tick=True):
        # On the phone: from the status page to the documents page; three photos and a PDF.
        phone.goto(f"/demande/{request.access_token}/suivi/")
        assert "Documents acceptés : 0 sur 3." in words(browser_page, ".dossier-checklist")
        browser_page.get_by_role("link", name="Envoyer ou voir mes documents").click()
        browser_page.wait_for_url("**/documents/")
        phone.check()
        upload(phone, passport, "IMG_2041.jpg", phone_photo(), "image/jpeg")
        upload(phone, address, "facture.pdf", pdf(), "application/pdf")
        upload(phone, marriage, "IMG_2042.heic", phone_photo(kind="HEIF"), "image/heic")
        states = browser_page.locator(".document-state").all_text_contents()
        assert [state.strip() for state in states] == ["Envoyé, en attente de vérification"] * 3

        # At the desk: the queue, the dossier, one document to redo with its reason.
        desk.log_in(agent.username, agent.second_factor.secret)
        desktop_page.get_by_role("link", name="Documents à vérifier").click()
        desktop_page.wait_for_url("**/agent/documents/")
        desk.check()
        queue = words(desktop_page, ".review-queue")
        assert request.number in queue and "lundi 7 décembre 2026" in queue.lower()
        desktop_page.get_by_role("link", name=request.number).click()
        desktop_page.wait_for_selector("#check-form")
        desk.check()
        desktop_page.select_option(f"#id_d{passport.pk}-decision", "accepted")
        desktop_page.select_option(f"#id_d{address.pk}-decision", "redo")
        desktop_page.select_option(f"#id_d{address.pk}-reason", "too_old")
        desktop_page.fill(f"#id_d{address.pk}-note", "La facture date d'août.")
        desktop_page.select_option(f"#id_d{marriage.pk}-decision", "accepted")
        desktop_page.get_by_role("button", name="Enregistrer et prévenir la personne").click()
        desktop_page.wait_for_selector(".fr-alert--success")
        desk.check()

        # The person's message says what to redo, why, by when, and links to the page.
        body = mail_to("aminata@example.org")
        assert "Justificatif de domicile : trop ancien ou expiré (La facture date d'août.)" in body
        assert "avant le vendredi 4 décembre 2026" in body
        link = re.search(r"http://\S+/documents/", body).group(0)
        browser_page.goto(link)
        phone.check()
        assert "Documents acceptés : 2 sur 3." in words(browser_page)
        redo = words(browser_page, f"#document-{address.pk}")
        assert "À refaire : trop ancien ou expiré — La facture date d'août." in redo
        phone.goto(f"/demande/{request.access_token}/suivi/")
        checklist = words(browser_page, ".dossier-checklist")
        assert "à refaire : trop ancien ou expiré (La facture date d'août.)" in checklist
        browser_page.get_by_role("link", name="Envoyer ou voir mes documents").click()
        browser_page.wait_for_url("**/documents/")
        phone.check()
        upload(phone, address, "IMG_2050.jpg", phone_photo("green"), "image/jpeg")

        # The agent accepts the new one; at check-in, « Dossier complet ».
        desktop_page.reload()
        desk.check()
        desktop_page.select_option(f"#id_d{address.pk}-decision", "accepted")
        desktop_page.get_by_role("button", name="Enregistrer et prévenir la personne").click()
        desktop_page.wait_for_selector(".fr-alert--success")
        desk.check()
        assert "Dossier complet" in words(desktop_page)
        site = request.sites.get()
        desk.goto(f"/agent/accueil/?site={site.pk}&number={request.number}")
        summary = desktop_page.locator(".counter-dossier .dossier-summary").text_content()
        assert summary.strip() == "Dossier complet"
        assert "votre dossier est complet" in mail_to("aminata@example.org")

    assert phone.refused() == [] and desk.refused() == []


def test_a_manager_adds_a_document_to_a_list_and_an_association_sends_one(
    live_server, desktop_page, dossier
):
    """The lists' editor and the association's page, every page checked by axe-core."""

    request, _agent, (passport, _address, _marriage) = dossier
    with time_machine.travel(NOW, tick=False):
        manager = factories.make_agent(request.prefecture, Role.MANAGER, "chef.94")
        organisation = factories.make_organisation(request.prefecture)
        member = factories.make_member(organisation, "asso.94")
        factories.make_mandate(member, request)
    page = desktop_page
    page.set_default_timeout(10_000)
    desk = Journey(page, live_server.url)
    with time_machine.travel(NOW, tick=True):
        desk.log_in(manager.username, manager.second_factor.secret)
        desk.goto("/agent/documents/")
        page.get_by_role("link", name="Modifier les listes de documents à fournir").click()
        page.wait_for_url("**/agent/documents/listes/")
        desk.check()
        page.get_by_role("link", name=request.service.name).click()
        page.wait_for_url("**/agent/documents/listes/*/")
        desk.check()
        page.get_by_label("Document", exact=True).fill("Attestation de la CAF")
        page.get_by_label("Condition").fill("si vous touchez des prestations")
        page.locator("label", has_text="de moins de 3 mois").click()
        page.get_by_role("button", name="Ajouter à la liste").click()
        page.wait_for_selector(".fr-alert--success")
        desk.check()
        assert "Attestation de la CAF — si vous touchez des prestations" in words(page)
        page.get_by_role("link", name="Modifier — Attestation de la CAF").click()
        page.wait_for_url("**/agent/documents/listes/document/*/")
        desk.check()
        page.get_by_role("button", name="Se déconnecter").click()

        page.wait_for_url("**/agent/connexion/**")
        desk.log_in(member.username, member.second_factor.secret, home="/association/")
        desk.goto(f"/association/personnes/{request.pk}/")
        page.get_by_role("link", name="Envoyer ses documents").click()
        page.wait_for_url(f"**/association/documents/{request.pk}/")
        desk.check()
        upload(desk, passport, "passeport.pdf", pdf(), "application/pdf")
        assert "Attestation de la CAF" in words(page)
    assert desk.refused() == []
