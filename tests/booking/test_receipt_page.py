"""The receipt page: what a person sees right after registering, waiting or dated."""

import datetime

import pytest
import time_machine
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from guichet.booking.services import allocate_service, confirm_contact, register_request
from guichet.catalogue.enums import ServiceKind
from tests import factories

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 13:03:27 UTC: 14:03:27 in Paris, 17:03:27 in La Réunion.
REGISTERED = datetime.datetime(2026, 11, 23, 13, 3, 27, 512000, tzinfo=datetime.UTC)


def register(prefecture, n=1, kind=ServiceKind.FIRST_PERMIT, **applicant_fields):
    """A web request whose person confirmed their contact: it waits for a date."""
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture, kind)
    request, _ = register_request(
        service=service, applicant=factories.applicant(n, **applicant_fields), sites=[site]
    )
    assert confirm_contact(request, request.verification_code)
    return request


def page_text(client, request):
    response = client.get(f"/demande/{request.access_token}/attestation/")
    assert response.status_code == 200
    return " ".join(HTMLParser(response.content).body.text().split())


@time_machine.travel(REGISTERED, tick=False)
def test_shows_number_and_registration_second_on_the_prefecture_clock(client):
    request = register(factories.make_prefecture())

    text = page_text(client, request)

    assert "Attestation d'enregistrement de demande de rendez-vous" in text
    assert request.number in text
    assert "le 23 novembre 2026 à 14:03:27 (heure de Paris, UTC+01:00)" in text
    assert "Val-de-Marne" in text
    assert "En attente d'une date" in text


@time_machine.travel(REGISTERED, tick=False)
def test_overseas_prefecture_shows_its_own_time_zone(client):
    reunion = factories.make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")
    request = register(reunion)

    text = page_text(client, request)

    assert request.number.startswith("974-")
    assert "le 23 novembre 2026 à 17:03:27 (heure de La Réunion, UTC+04:00)" in text


@time_machine.travel(REGISTERED, tick=False)
def test_waiting_request_shows_its_rank_and_what_happens_next(client):
    prefecture = factories.make_prefecture()
    expiries = [datetime.date(2027, 1, d) for d in (10, 20, 20, 30)]
    requests = [
        register(prefecture, n, ServiceKind.RENEWAL, permit_expires_on=expiry)
        for n, expiry in enumerate(expiries)
    ]

    second = page_text(client, requests[1])
    last = page_text(client, requests[3])

    assert (
        "1 demande a une échéance plus proche que la vôtre ; "
        "1 a la même échéance et sera départagée de la vôtre par tirage au sort." in second
    )
    assert "3 demandes ont une échéance plus proche que la vôtre ; aucune n'a" in last
    assert "plusieurs fois par jour" in second
    assert "ne sera jamais repoussée" in second


@time_machine.travel(REGISTERED, tick=False)
def test_dated_request_shows_date_site_documents_and_identity_check(client):
    prefecture = factories.make_prefecture()
    request = register(prefecture)
    site = request.sites.get()
    site.address = "7 avenue du Général de Gaulle, 94000 Créteil"
    site.save()
    # Monday 7 December 2026, 09:20 in Paris.
    start = datetime.datetime(2026, 12, 7, 8, 20, tzinfo=datetime.UTC)
    factories.make_units(site, request.service, start, count=1)
    allocate_service(request.service, seed=1)

    text = page_text(client, request)

    assert "Rendez-vous fixé" in text
    assert "Le lundi 7 décembre 2026 à 09:20 (heure de Paris, UTC+01:00)" in text
    assert "7 avenue du Général de Gaulle, 94000 Créteil" in text
    assert "Passeport" in text and "Justificatif de domicile" in text
    assert "Votre identité sera vérifiée au guichet" in text
    assert "ni cédé ni vendu" in text
    assert "Votre place aujourd'hui" not in text


@time_machine.travel(REGISTERED, tick=False)
def test_links_to_pdf_status_and_public_verification(client):
    request = register(factories.make_prefecture())

    response = client.get(f"/demande/{request.access_token}/attestation/")
    links = [a.attributes["href"] for a in HTMLParser(response.content).css("a[href]")]

    assert f"/demande/{request.access_token}/attestation.pdf" in links
    assert f"/demande/{request.access_token}/suivi/" in links
    assert any(f"/verifier/{request.number}." in link for link in links)
    assert response["Referrer-Policy"] == "strict-origin"
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_unknown_token_is_not_found(client):
    assert client.get("/demande/not-a-token/attestation/").status_code == 404


@time_machine.travel(REGISTERED, tick=False)
def test_browser_asking_for_english_gets_one_language(client):
    request = register(factories.make_prefecture())

    response = client.get(
        f"/demande/{request.access_token}/attestation/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "le 23 novembre 2026 à 14:03:27" in response.content.decode()
    assert response["Content-Language"] == "fr"
