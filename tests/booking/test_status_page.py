"""The status page by secret link: the receipt's essentials plus the request's history."""

import datetime

import pytest
import time_machine
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.enums import RequestStatus
from guichet.booking.models import Request
from guichet.booking.services import allocate_service, confirm_contact, register_request
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = datetime.datetime(2026, 11, 23, 13, 3, 27, tzinfo=datetime.UTC)
CONFIRMED = REGISTERED + datetime.timedelta(minutes=5)
RESUBMITTED = REGISTERED + datetime.timedelta(hours=2)
ALLOCATED = REGISTERED + datetime.timedelta(days=1)


def status_page(client, request):
    response = client.get(f"/demande/{request.access_token}/suivi/")
    assert response.status_code == 200
    return response, LexborHTMLParser(response.content)


@pytest.fixture
def prefecture():
    return factories.make_prefecture("974", "La Réunion", time_zone="Indian/Reunion")


def register(prefecture, at):
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture)
    with time_machine.travel(at, tick=False):
        request, _ = register_request(
            service=service, applicant=factories.applicant(), sites=[site]
        )
    return request


def register_and_confirm(prefecture):
    """A web request registered at REGISTERED whose contact was confirmed five minutes later."""
    request = register(prefecture, REGISTERED)
    assert confirm_contact(request, request.verification_code, now=CONFIRMED)
    return request


def test_history_in_order_on_the_prefecture_clock(client, prefecture):
    request = register_and_confirm(prefecture)
    # The same identity submitted again: once its contact is confirmed, it is a duplicate, and
    # the holder's history says so (booking/duplicates.py).
    again = register(prefecture, RESUBMITTED)
    assert confirm_contact(again, again.verification_code, now=RESUBMITTED)
    start = datetime.datetime(2026, 12, 7, 5, 0, tzinfo=datetime.UTC)
    factories.make_units(request.sites.get(), request.service, start, count=1)
    allocate_service(request.service, seed=7, now=ALLOCATED)

    _response, page = status_page(client, request)
    history = [" ".join(item.text().split()) for item in page.css("ol.receipt-history li")]

    assert history == [
        "Demande enregistrée — le 23 novembre 2026 à 17:03:27 (heure de La Réunion, UTC+04:00)",
        "Coordonnées confirmées — le 23 novembre 2026 à 17:08:27 (heure de La Réunion, UTC+04:00)",
        "Nouvelle demande déposée avec la même identité — "
        "le 23 novembre 2026 à 19:03:27 (heure de La Réunion, UTC+04:00)",
        "Rendez-vous attribué — le 24 novembre 2026 à 17:03:27 (heure de La Réunion, UTC+04:00)",
    ]
    text = page.body.text()
    assert "Le lundi 7 décembre 2026 à 09:00 (heure de La Réunion, UTC+04:00)" in text
    assert request.number in text


def test_waiting_request_shows_its_rank(client, prefecture):
    request = register_and_confirm(prefecture)

    _response, page = status_page(client, request)

    assert "Aucune demande n'a une échéance plus proche que la vôtre" in page.body.text()


def test_is_kept_out_of_search_engines_and_referers(client, prefecture):
    request = register(prefecture, REGISTERED)

    response, page = status_page(client, request)

    assert page.css_first('meta[name="robots"]').attributes["content"].startswith("noindex")
    assert response["Referrer-Policy"] == "strict-origin"
    assert len(page.css("h1")) == 1


def test_unknown_token_is_not_found(client):
    assert client.get("/demande/nope/suivi/").status_code == 404


def test_a_request_held_for_review_says_it_keeps_its_place(client, prefecture):
    request = register(prefecture, REGISTERED)
    Request.objects.filter(pk=request.pk).update(status=RequestStatus.HELD)

    _response, page = status_page(client, request)

    assert "en cours de vérification" in page.body.text()
    assert "garde sa place" in page.body.text()
