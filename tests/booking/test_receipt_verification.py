"""Public check of a receipt: genuine ones say so with initials only; altered ones are refused."""

import datetime

import pytest
import time_machine
from django.core import signing

from guichet.booking.receipts import RECEIPT_SALT, SEPARATOR, check_receipt, receipt_token
from guichet.booking.services import register_request
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = datetime.datetime(2026, 11, 23, 13, 3, 27, tzinfo=datetime.UTC)


@pytest.fixture
def booking_request(world):
    _prefecture, site, service = world
    person = factories.applicant(family_name="Ndiaye", given_names="Awa Marie")
    with time_machine.travel(REGISTERED, tick=False):
        request, _ = register_request(service=service, applicant=person, sites=[site])
    return request


def verify(client, token):
    response = client.get(f"/verifier/{token}/")
    return response, response.content.decode()


def test_genuine_receipt_shows_facts_and_initials_only(client, booking_request):
    response, html = verify(client, receipt_token(booking_request))

    assert response.status_code == 200
    assert "Attestation authentique" in html
    assert booking_request.number in html
    assert "le 23 novembre 2026 à 14:03:27 (heure de Paris, UTC+01:00)" in html
    assert "Val-de-Marne" in html
    assert booking_request.service.name in html
    assert "A. M. N." in html
    for personal in ("Ndiaye", "Awa", booking_request.email, booking_request.nationality):
        assert personal not in html
    assert booking_request.access_token not in html
    assert '<meta name="robots" content="noindex' in html


def test_token_names_the_request(booking_request):
    assert check_receipt(receipt_token(booking_request)) == booking_request


def test_one_altered_signature_character_is_not_authentic(client, booking_request):
    token = receipt_token(booking_request)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response, html = verify(client, altered)

    assert response.status_code == 404
    assert "Attestation non authentique" in html
    assert "Attestation authentique" not in html
    # Only the address itself (the language switcher's way back to it) holds the number.
    assert booking_request.number not in html.replace(f"/verifier/{altered}/", "")
    assert "contactez" in html


def test_token_signed_with_another_key_is_not_authentic(client, booking_request):
    payload = receipt_token(booking_request).rsplit(SEPARATOR, 1)[0]
    forged = signing.Signer(key="not-the-secret-key", salt=RECEIPT_SALT, sep=SEPARATOR).sign(
        payload
    )

    response, html = verify(client, forged)

    assert response.status_code == 404
    assert "Attestation non authentique" in html


def test_properly_signed_but_wrong_registration_time_is_refused(booking_request):
    """A real signature over another second (e.g. a leaked key used to backdate) names nothing."""
    earlier = int(booking_request.registered_at.timestamp()) - 3600
    payload = SEPARATOR.join([booking_request.number, signing.b62_encode(earlier)])
    token = signing.Signer(salt=RECEIPT_SALT, sep=SEPARATOR).sign(payload)

    assert check_receipt(token) is None


def test_garbage_is_refused():
    assert check_receipt("not-a-token") is None
    assert check_receipt("") is None
