"""Builders shared by the tests of the applicant space (the pages reached by secret link)."""

import datetime

from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from guichet.booking.enums import Channel
from guichet.booking.services import allocate_service, register_request
from guichet.catalogue.enums import ServiceKind
from tests import factories

# Monday 23 November 2026, 10:00 UTC: the applicant space's tests all start then.
from tests.factories import NOW


def register(prefecture=None, n=1, channel=Channel.WEB, kind=ServiceKind.FIRST_PERMIT, **fields):
    """A request of person `n`; from the web it waits for its contact to be confirmed."""
    prefecture = prefecture or factories.make_prefecture()
    site = factories.make_site(prefecture)
    service = factories.make_service(prefecture, kind)
    request, created = register_request(
        service=service,
        applicant=factories.applicant(n, **fields),
        sites=[site],
        channel=channel,
    )
    assert created
    return request


def dated(prefecture=None, n=1, start=NOW + datetime.timedelta(days=14), **fields):
    """A request registered at the counter and dated on a unit starting at `start`."""
    request = register(prefecture, n, channel=Channel.COUNTER, **fields)
    factories.make_units(request.sites.get(), request.service, start, count=1)
    allocate_service(request.service, seed=1)
    request.refresh_from_db()
    return request


def url(name, request, *args):
    return reverse(f"booking:{name}", args=[request.access_token, *args])


def text_of(response) -> str:
    return " ".join(LexborHTMLParser(response.content).body.text().split())


def follow_to_status(client, response, request) -> str:
    """A POST answers with a redirect to the status page; its text says what was done."""
    assert response.status_code == 302
    assert response["Location"] == url("status", request)
    return text_of(client.get(response["Location"]))
