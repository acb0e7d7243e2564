"""The receipt PDF: a printable document whose QR link proves it is genuine."""

import datetime
import urllib.parse

import pypdfium2
import pytest
import time_machine

from guichet.booking.receipts import verification_url
from guichet.booking.services import register_request
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = datetime.datetime(2026, 11, 23, 13, 3, 27, tzinfo=datetime.UTC)


@pytest.fixture
def booking_request(world):
    _prefecture, site, service = world
    with time_machine.travel(REGISTERED, tick=False):
        request, _ = register_request(
            service=service, applicant=factories.applicant(), sites=[site]
        )
    return request


@pytest.fixture
def pdf_response(client, booking_request):
    return client.get(f"/demande/{booking_request.access_token}/attestation.pdf")


def test_is_downloaded_as_a_named_pdf(pdf_response, booking_request):
    assert pdf_response.status_code == 200
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response["Content-Disposition"] == (
        f'attachment; filename="attestation-{booking_request.number}.pdf"'
    )
    assert pdf_response["Referrer-Policy"] == "strict-origin"


def test_renders_to_a_printed_a4_page(pdf_response):
    document = pypdfium2.PdfDocument(pdf_response.content)
    page = document[0]
    width_pt, height_pt = page.get_size()
    # A4 is 210 × 297 mm; 72 points an inch.
    assert (round(width_pt / 72 * 25.4), round(height_pt / 72 * 25.4)) == (210, 297)

    image = page.render(scale=2).to_pil().convert("L")
    # One pixel of rounding either way.
    assert abs(image.width - 2 * width_pt) <= 1 and abs(image.height - 2 * height_pt) <= 1
    dark = sum(image.histogram()[:128])
    assert 0.005 < dark / (image.width * image.height) < 0.5


def test_text_names_the_request_and_prints_the_verification_url(pdf_response, booking_request):
    document = pypdfium2.PdfDocument(pdf_response.content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    # A long URL may wrap: pdfium marks a break after a hyphen with U+FFFE.
    flat = "".join(text.replace("\ufffe", "-").split())

    assert booking_request.number in text
    assert "".join(verification_url(booking_request).split()) in flat
    assert "14:03:27 (heure de Paris, UTC+01:00)" in text


def test_printed_verification_url_says_authentic(client, booking_request):
    path = urllib.parse.urlsplit(verification_url(booking_request)).path

    response = client.get(path)

    assert response.status_code == 200
    assert "Attestation authentique" in response.content.decode()
    assert booking_request.number in response.content.decode()
