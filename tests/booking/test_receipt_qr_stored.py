"""The receipt's QR code is drawn once per request and reused by every page and process that
shows it (drawing it was ~40 % of the status page, at every view); the status page, which does
not show it, no longer draws it at all."""

import datetime
from unittest import mock

import pytest
import segno
from django.core.cache.backends.db import DatabaseCache
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.receipts import verification_url
from tests import factories

NOW = datetime.datetime(2026, 11, 23, 13, 3, 27, tzinfo=datetime.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def service():
    return factories.make_one_site_service()


def qr_shown(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    image = LexborHTMLParser(response.content).css_first(
        'img[alt="Code QR du lien de vérification"]'
    )
    return image.attributes["src"]


@pytest.fixture
def drawings():
    with mock.patch("guichet.booking.receipts.segno.make", wraps=segno.make) as make:
        yield make


def test_the_status_page_draws_no_qr_it_does_not_show(client, service, drawings):
    request = factories.register_online(service)
    for _ in range(3):
        assert client.get(reverse("booking:status", args=[request.access_token])).status_code == 200

    assert drawings.call_count == 0


def test_the_qr_is_drawn_once_for_every_view_of_the_receipt(client, service, drawings):
    request = factories.register_online(service)
    receipt = reverse("booking:receipt", args=[request.access_token])

    shown = {qr_shown(client, receipt) for _ in range(3)}
    pdf = client.get(reverse("booking:receipt_pdf", args=[request.access_token]))

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(shown) == 1 and next(iter(shown)).startswith("data:image/svg+xml")
    assert [call.args[0] for call in drawings.call_args_list] == [verification_url(request)]


def test_another_process_finds_it_drawn(client, service, drawings):
    """What a second gunicorn worker sees: the same table, not its own memory."""
    request = factories.register_online(service)
    shown = qr_shown(client, reverse("booking:receipt", args=[request.access_token]))

    elsewhere = DatabaseCache("guichet_receipt_qr", {})
    assert shown in [elsewhere.get(key) for key in stored_keys(elsewhere)]


def stored_keys(cache: DatabaseCache) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM guichet_receipt_qr")
        return [row[0].split(":", 2)[-1] for row in cursor.fetchall()]


def test_each_request_has_its_own_and_a_new_site_url_draws_a_new_one(
    client, service, drawings, settings
):
    first, second = (
        factories.register_online(service, n=1),
        factories.register_online(service, n=2),
    )
    receipts = [reverse("booking:receipt", args=[r.access_token]) for r in (first, second)]

    assert qr_shown(client, receipts[0]) != qr_shown(client, receipts[1])
    settings.SITE_URL = "https://guichet.example.gouv.fr"
    moved = qr_shown(client, receipts[0])

    assert drawings.call_count == 3
    assert drawings.call_args.args[0].startswith("https://guichet.example.gouv.fr/verifier/")
    assert moved != qr_shown(client, receipts[1])
