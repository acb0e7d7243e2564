"""An earlier date offered to a dated request: shown on the status page, accepted or declined."""

import datetime

import pytest

from guichet.booking.enums import Channel, EventKind, OfferStatus
from guichet.booking.offers import offer_unit
from tests import factories
from tests.applicant_space import dated, follow_to_status, register, text_of, url
from tests.factories import NOW

LATER = NOW + datetime.timedelta(days=14)  # Monday 7 December 2026, 11:00 in Paris
EARLIER = NOW + datetime.timedelta(days=7)  # Monday 30 November 2026, 11:00 in Paris


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def request_with_offer():
    request = dated(start=LATER)
    unit = factories.make_units(request.sites.get(), request.service, EARLIER, count=1)[0]
    offer = offer_unit(unit)
    assert offer.request == request
    return request, offer


def current_start(request):
    request.appointment.refresh_from_db()
    return request.appointment.unit.starts_at


def test_status_page_shows_the_offer_with_its_date_site_and_deadline(client, request_with_offer):
    request, offer = request_with_offer

    text = text_of(client.get(url("status", request)))

    assert "Une date plus proche vous est proposée" in text
    assert "Le lundi 30 novembre 2026 à 11:00 (heure de Paris, UTC+01:00)" in text
    assert "Répondez avant le 24 novembre 2026 à 11:00 (heure de Paris, UTC+01:00)" in text
    assert "Accepter cette date" in text and "Refuser et garder ma date" in text


def test_accepting_moves_the_appointment_earlier(client, request_with_offer):
    request, offer = request_with_offer

    response = client.post(url("accept_offer", request, offer.pk))

    text = follow_to_status(client, response, request)
    assert "votre rendez-vous est avancé le 30 novembre 2026 à 11:00" in text
    assert current_start(request) == EARLIER
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert request.events.filter(kind=EventKind.MOVED_EARLIER).count() == 1
    assert "Une date plus proche vous est proposée" not in text


def test_declining_keeps_the_appointment(client, request_with_offer):
    request, offer = request_with_offer

    response = client.post(url("decline_offer", request, offer.pk))

    text = follow_to_status(client, response, request)
    assert "vous gardez votre rendez-vous le 7 décembre 2026 à 11:00" in text
    assert current_start(request) == LATER
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert request.events.filter(kind=EventKind.OFFER_DECLINED).count() == 1


def test_an_expired_offer_is_no_longer_shown_nor_accepted(client, request_with_offer, clock):
    request, offer = request_with_offer
    clock.shift(datetime.timedelta(hours=25))

    assert "Une date plus proche" not in text_of(client.get(url("status", request)))
    response = client.post(url("accept_offer", request, offer.pk))

    assert "Cette proposition n'est plus valable" in follow_to_status(client, response, request)
    assert current_start(request) == LATER
    assert not request.events.filter(kind=EventKind.MOVED_EARLIER).exists()


def test_an_answered_offer_cannot_be_answered_again(client, request_with_offer):
    request, offer = request_with_offer
    follow_to_status(client, client.post(url("decline_offer", request, offer.pk)), request)

    response = client.post(url("accept_offer", request, offer.pk))

    assert "Cette proposition n'est plus valable" in follow_to_status(client, response, request)
    assert current_start(request) == LATER
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


@pytest.mark.parametrize("answer", ["accept_offer", "decline_offer"])
def test_another_requests_offer_cannot_be_answered_with_my_link(client, request_with_offer, answer):
    request, offer = request_with_offer
    someone_else = register(n=2, channel=Channel.COUNTER)

    response = client.post(url(answer, someone_else, offer.pk))

    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert current_start(request) == LATER


def test_answering_needs_a_post(client, request_with_offer):
    request, offer = request_with_offer

    assert client.get(url("accept_offer", request, offer.pk)).status_code == 405
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
